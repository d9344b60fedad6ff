// Generated from openapi/ by scripts/generate.mjs. Do not edit; run `pnpm --filter @keyward/spec generate`.
export interface paths {
    "/api/secrets": {
        parameters: {
            query?: {
                /**
                 * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
                 *     An unknown name is a 400 naming `environment`.
                 */
                environment?: components["parameters"]["Environment"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List secrets (metadata and rotation status, never values) */
        get: operations["listSecrets"];
        put?: never;
        /** Create a secret, optionally with a first value (write-only) */
        post: operations["createSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/secret-types": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The secret types this server knows (built-in and custom), what each accepts, and which can be tested */
        get: operations["listSecretTypes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/secrets/matrix": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The secrets matrix — each secret's state (set, stub, missing, disabled) in every environment */
        get: operations["getSecretsMatrix"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/secrets/{name}": {
        parameters: {
            query?: {
                /**
                 * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
                 *     An unknown name is a 400 naming `environment`.
                 */
                environment?: components["parameters"]["Environment"];
            };
            header?: never;
            path: {
                /** @description A secret name, upper snake case */
                name: components["parameters"]["SecretName"];
            };
            cookie?: never;
        };
        /** A secret's metadata and rotation status (never its value) */
        get: operations["getSecret"];
        put?: never;
        post?: never;
        /** Delete a secret and all its versions; its access grants are revoked */
        delete: operations["deleteSecret"];
        options?: never;
        head?: never;
        /** Update a secret's description, type or rotation period */
        patch: operations["updateSecret"];
        trace?: never;
    };
    "/api/secrets/{name}/value": {
        parameters: {
            query?: {
                /**
                 * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
                 *     An unknown name is a 400 naming `environment`.
                 */
                environment?: components["parameters"]["Environment"];
            };
            header?: never;
            path: {
                /** @description A secret name, upper snake case */
                name: components["parameters"]["SecretName"];
            };
            cookie?: never;
        };
        get?: never;
        /**
         * Set a secret's value (write-only); creates a new version
         * @description Refused with 409 when `expectedVersion` is not the current version, or while the secret is disabled (a write would re-enable it).
         *     Refused with 400 (`code` invalid_value) when the value breaks its secret's type (e.g. "type llm-api-key: must start with sk-")
         *     or a rule the app's schema declared (e.g. "rule pattern: does not match pattern ^sk-"); the problem never contains the value.
         *     A held value is checked when it is requested and again when it applies.
         */
        put: operations["setSecretValue"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/secrets/{name}/disable": {
        parameters: {
            query?: {
                /**
                 * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
                 *     An unknown name is a 400 naming `environment`.
                 */
                environment?: components["parameters"]["Environment"];
            };
            header?: never;
            path: {
                /** @description A secret name, upper snake case */
                name: components["parameters"]["SecretName"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Disable a secret, so no service can read it until it is enabled */
        post: operations["disableSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/secrets/{name}/enable": {
        parameters: {
            query?: {
                /**
                 * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
                 *     An unknown name is a 400 naming `environment`.
                 */
                environment?: components["parameters"]["Environment"];
            };
            header?: never;
            path: {
                /** @description A secret name, upper snake case */
                name: components["parameters"]["SecretName"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Enable a disabled secret (active, or stub when it has no value) */
        post: operations["enableSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/secrets/{name}/versions": {
        parameters: {
            query?: {
                /**
                 * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
                 *     An unknown name is a 400 naming `environment`.
                 */
                environment?: components["parameters"]["Environment"];
            };
            header?: never;
            path: {
                /** @description A secret name, upper snake case */
                name: components["parameters"]["SecretName"];
            };
            cookie?: never;
        };
        /** The kept versions of a secret, newest first (metadata only) */
        get: operations["listSecretVersions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/secrets/{name}/rollback": {
        parameters: {
            query?: {
                /**
                 * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
                 *     An unknown name is a 400 naming `environment`.
                 */
                environment?: components["parameters"]["Environment"];
            };
            header?: never;
            path: {
                /** @description A secret name, upper snake case */
                name: components["parameters"]["SecretName"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Roll back to a kept version; its value becomes a new current version
         * @description Refused with 409 when `expectedVersion` is not the current version, or while the secret is disabled.
         */
        post: operations["rollbackSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/secrets/{name}/promote": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A secret name, upper snake case */
                name: components["parameters"]["SecretName"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Copy a secret's current value from one environment to another, server-side
         * @description The value is opened and sealed again inside the service as a new version in `to`; it never
         *     crosses the API. Refused with 409 when the source has no value or is disabled, when the target
         *     is disabled, or when `expectedVersion` is not the target's current version; 400 naming `from`
         *     or `to` for an unknown environment or when they are the same.
         */
        post: operations["promoteSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/secrets/{name}/test-connection": {
        parameters: {
            query?: {
                /**
                 * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
                 *     An unknown name is a 400 naming `environment`.
                 */
                environment?: components["parameters"]["Environment"];
            };
            header?: never;
            path: {
                /** @description A secret name, upper snake case */
                name: components["parameters"]["SecretName"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Test that the stored credential works, from the server (the value goes only to its target)
         * @description Runs the connection test for the secret's type (e.g. lists models for an llm-api-key, `SELECT 1` for a database-url) and records the outcome, audited. 409 when the type has no tester, the secret has no value or is disabled; 429 when the secret was tested moments ago.
         */
        post: operations["testSecretConnection"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/secrets/{name}/verification": {
        parameters: {
            query?: {
                /**
                 * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
                 *     An unknown name is a 400 naming `environment`.
                 */
                environment?: components["parameters"]["Environment"];
            };
            header?: never;
            path: {
                /** @description A secret name, upper snake case */
                name: components["parameters"]["SecretName"];
            };
            cookie?: never;
        };
        get?: never;
        /** Turn scheduled re-verification of the credential on (every N hours) or off */
        put: operations["setSecretVerification"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/preflight": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Will a service get each of these secrets when it starts? (a deploy gate; never a value)
         * @description For each named secret, in one environment (the default when omitted), what a service started
         *     now with its token would meet: the value (set, stub, missing, disabled), its access (granted,
         *     pending, denied, none), the service's token (approved, pending, expired, revoked, none), the
         *     rotation state, and, when `rules` are given and are the rules stored for the secret (those its
         *     services declared), whether the current value satisfies them. Other rules are not checked
         *     (`differs`): checking a value against rules the caller chose would let it learn the value a
         *     pattern at a time. The server decrypts a value only to check the rules and never returns it.
         *     Each name may appear once. Read-only; writes one audit row (`secrets.preflight`).
         */
        post: operations["runPreflight"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/signing-keys": {
        parameters: {
            query?: {
                /**
                 * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
                 *     An unknown name is a 400 naming `environment`.
                 */
                environment?: components["parameters"]["Environment"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The environment's signing keys with their versions (Ed25519 public keys; never key material) */
        get: operations["listSigningKeys"];
        put?: never;
        /**
         * Create a signing key; Keyward generates version 1 of its material
         * @description Refused with 409 when the name is already a secret or a signing key in the environment, and in
         *     a protected environment (signing key changes are not yet supported there).
         */
        post: operations["createSigningKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/signing-keys/{name}/rotate": {
        parameters: {
            query?: {
                /**
                 * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
                 *     An unknown name is a 400 naming `environment`.
                 */
                environment?: components["parameters"]["Environment"];
            };
            header?: never;
            path: {
                /** @description A signing key's name, upper snake case (the purpose services sign for) */
                name: components["parameters"]["SigningKeyName"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Make a new version of fresh material current; older versions keep verifying until retired
         * @description Refused with 409 while the key is disabled, and in a protected environment.
         */
        post: operations["rotateSigningKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/signing-keys/{name}/retire": {
        parameters: {
            query?: {
                /**
                 * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
                 *     An unknown name is a 400 naming `environment`.
                 */
                environment?: components["parameters"]["Environment"];
            };
            header?: never;
            path: {
                /** @description A signing key's name, upper snake case (the purpose services sign for) */
                name: components["parameters"]["SigningKeyName"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Retire every version below `below`; their signatures no longer verify
         * @description The current version cannot be retired (rotate first), and retiring cannot be undone (409).
         */
        post: operations["retireSigningKeyVersions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/missing-secrets": {
        parameters: {
            query?: {
                /**
                 * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
                 *     An unknown name is a 400 naming `environment`.
                 */
                environment?: components["parameters"]["Environment"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Stubs (asked for, no value yet) with the services that asked */
        get: operations["listMissingSecrets"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/service-tokens": {
        parameters: {
            query?: {
                /**
                 * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
                 *     An unknown name is a 400 naming `environment`.
                 */
                environment?: components["parameters"]["Environment"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List service tokens, newest first (never the token or its hash) */
        get: operations["listServiceTokens"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/service-tokens/{id}": {
        parameters: {
            query?: {
                /**
                 * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
                 *     An unknown name is a 400 naming `environment`.
                 */
                environment?: components["parameters"]["Environment"];
            };
            header?: never;
            path: {
                /** @description The record's id */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        /**
         * One service token's metadata (never the token or its hash)
         * @description The same record the list returns: status, approval, use counters and expiry (`expired` is
         *     computed at the server's clock). An unknown id is a 404; an id outside the id format is a 400.
         */
        get: operations["getServiceToken"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/service-tokens/{id}/approve": {
        parameters: {
            query?: {
                /**
                 * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
                 *     An unknown name is a 400 naming `environment`.
                 */
                environment?: components["parameters"]["Environment"];
            };
            header?: never;
            path: {
                /** @description The record's id */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Approve a service token, optionally until a given time
         * @description Approves a pending token. Approving an already approved token again is allowed and is how its
         *     expiry is changed: `expiresAt` sets a new one, `null` clears it, and leaving it out (or sending
         *     no body) keeps it; `approvedAt` and `approvedBy` record the latest approval. A revoked token
         *     cannot be approved (409). A past or malformed `expiresAt` is refused with 400 naming the field.
         */
        post: operations["approveServiceToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/service-tokens/{id}/revoke": {
        parameters: {
            query?: {
                /**
                 * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
                 *     An unknown name is a 400 naming `environment`.
                 */
                environment?: components["parameters"]["Environment"];
            };
            header?: never;
            path: {
                /** @description The record's id */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke a service token; it can never be used again */
        post: operations["revokeServiceToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/access-requests": {
        parameters: {
            query?: {
                /**
                 * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
                 *     An unknown name is a 400 naming `environment`.
                 */
                environment?: components["parameters"]["Environment"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List access requests, newest first */
        get: operations["listAccessRequests"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/access-requests/{id}/approve": {
        parameters: {
            query?: {
                /**
                 * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
                 *     An unknown name is a 400 naming `environment`.
                 */
                environment?: components["parameters"]["Environment"];
            };
            header?: never;
            path: {
                /** @description The record's id */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Grant a service access to a secret */
        post: operations["approveAccessRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/access-requests/{id}/deny": {
        parameters: {
            query?: {
                /**
                 * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
                 *     An unknown name is a 400 naming `environment`.
                 */
                environment?: components["parameters"]["Environment"];
            };
            header?: never;
            path: {
                /** @description The record's id */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Deny a service access to a secret */
        post: operations["denyAccessRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/access-requests/{id}/revoke": {
        parameters: {
            query?: {
                /**
                 * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
                 *     An unknown name is a 400 naming `environment`.
                 */
                environment?: components["parameters"]["Environment"];
            };
            header?: never;
            path: {
                /** @description The record's id */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke a service's access to a secret */
        post: operations["revokeAccessRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List audit rows, oldest first, with filters
         * @description Covers the rows in the database: the hot window, across all its partitions. Rows older than
         *     the window were archived and dropped; GET /api/audit/archives says where they are.
         */
        get: operations["listAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/audit/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Export the filtered audit log as JSON Lines or CSV (streamed)
         * @description Covers the rows in the database (the hot window). Rows older than the window are in the
         *     archives that GET /api/audit/archives lists, already JSON Lines (gzip-compressed).
         */
        get: operations["exportAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/audit/archives": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Where the audit rows older than the hot window are (the archives of dropped partitions)
         * @description The audit log is partitioned by time. Partitions older than the hot window
         *     (KEYWARD_AUDIT_HOT_DAYS, 90 days by default) are archived to a sink (a directory or an
         *     S3-compatible bucket) and then dropped from the database. `GET /api/audit`,
         *     `GET /api/audit/export` and `GET /api/audit/verify` cover only the rows still in the database
         *     (the hot window, from `hotFrom` on); the rows before it are in the archives listed here, each a
         *     compressed JSON Lines file that verifies on its own and links to its neighbours:
         *     `keyward-service audit verify-archive FILE...`.
         */
        get: operations["listAuditArchives"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/audit/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Verify the audit chain against the service's latest checkpoint, and name the first bad row
         * @description Checks every row's HMAC chain. When the service writes checkpoints (to its checkpoint sink),
         *     the chain must also still hold the latest one: deleting the newest rows, or every row, fails
         *     here although the shorter chain is valid on its own.
         */
        get: operations["verifyAudit"];
        put?: never;
        /**
         * Verify the audit chain against a checkpoint you kept
         * @description As GET, against the given checkpoint (as `keyward-service audit checkpoint` or the checkpoint
         *     sink wrote it). Its signature must be by the service's checkpoint signing key, or by
         *     `publicKey` when given (e.g. a key the service used before). A checkpoint signed by another
         *     key, or whose signature does not match, answers ok false with `problem` saying so.
         */
        post: operations["verifyAuditCheckpoint"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/environments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List environments with what each holds (counts, never values) */
        get: operations["listEnvironments"];
        put?: never;
        /** Create an environment (never the default; it starts empty) */
        post: operations["createEnvironment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/environments/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description An environment name, a lower-case slug */
                name: components["parameters"]["EnvironmentName"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Delete an environment with its values, versions, tokens and grants
         * @description Refused with 409 for the default environment, and for one that holds values, live tokens or
         *     grants unless `confirm` repeats its name. A protected environment is deleted only through a change
         *     request another person approves (202); the same refusals apply to the request.
         */
        delete: operations["deleteEnvironment"];
        options?: never;
        head?: never;
        /**
         * Rename an environment, set its protected flag or approval settings, or make it the default
         * @description Values, tokens and grants stay with a renamed environment; audit rows keep the name they were written with.
         */
        patch: operations["updateEnvironment"];
        trace?: never;
    };
    "/api/environments/{name}/rules": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description An environment name, a lower-case slug */
                name: components["parameters"]["EnvironmentName"];
            };
            cookie?: never;
        };
        /**
         * List an environment's approval rules
         * @description Each rule says whether it fires: an approving rule (`token.approve`, `access.grant`) in an
         *     environment that became protected after it was made is `active: false` and never fires.
         */
        get: operations["listApprovalRules"];
        put?: never;
        /**
         * Add an approval rule to an environment
         * @description A rule decides a new token or access request whose service name (and secret name, for the
         *     access kinds) matches its globs, in the transaction that records it, audited with the rule as
         *     the actor (`rule:<id>`). A protected environment takes only the narrowing kinds
         *     (`token.reject`, `access.reject`): an approving kind there is a 409 naming `environment`.
         */
        post: operations["createApprovalRule"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/environments/{name}/rules/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description An environment name, a lower-case slug */
                name: components["parameters"]["EnvironmentName"];
                /** @description The approval rule's id (rule_ and 32 hex digits) */
                id: components["parameters"]["ApprovalRuleId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Delete an approval rule
         * @description What the rule decided stays decided; it stops firing.
         */
        delete: operations["deleteApprovalRule"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/change-requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List change requests, newest first (never a value) */
        get: operations["listChangeRequests"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/change-requests/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The change request's id (cr_ and 32 hex digits) */
                id: components["parameters"]["ChangeRequestId"];
            };
            cookie?: never;
        };
        /** One change request (a pending one past its expiry is marked expired first) */
        get: operations["getChangeRequest"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/change-requests/{id}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The change request's id (cr_ and 32 hex digits) */
                id: components["parameters"]["ChangeRequestId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Approve a change request; the last approval needed applies it in the same transaction
         * @description The requester never approves their own request, nor does another key of the same owner or the same OIDC subject (403, field `id`); one person counts once (409). An expired or decided request is a 409.
         */
        post: operations["approveChangeRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/change-requests/{id}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The change request's id (cr_ and 32 hex digits) */
                id: components["parameters"]["ChangeRequestId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reject a change request (a set-value's sealed value is destroyed)
         * @description Any caller who may approve may reject; the requester may withdraw their own. An expired or decided request is a 409.
         */
        post: operations["rejectChangeRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/channels": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List notification channels (never their credentials) */
        get: operations["listChannels"];
        put?: never;
        /** Add a channel; its credentials are sealed and never shown again */
        post: operations["createChannel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/channels/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The channel's name */
                name: components["parameters"]["ChannelName"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove a channel with its subscriptions and delivery history */
        delete: operations["deleteChannel"];
        options?: never;
        head?: never;
        /** Enable or disable a channel, change its settings, or replace its credentials */
        patch: operations["updateChannel"];
        trace?: never;
    };
    "/api/channels/{name}/test": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The channel's name */
                name: components["parameters"]["ChannelName"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a test message over the channel now and answer with its delivery (delivered, or dead with the error) */
        post: operations["testChannel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/channels/{name}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The channel's name */
                name: components["parameters"]["ChannelName"];
            };
            cookie?: never;
        };
        /** The channel's delivery history, newest first (attempts, status, error text without credentials) */
        get: operations["listChannelDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/subscriptions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List which events go to which channels */
        get: operations["listSubscriptions"];
        put?: never;
        /** Route event types (all when none) in environments (all when none) to a channel */
        post: operations["createSubscription"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/subscriptions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The subscription's id (sub_ and 32 hex digits) */
                id: components["parameters"]["SubscriptionId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Stop routing these events to the channel */
        delete: operations["deleteSubscription"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The scheduled jobs' state (last run, next run, last error, which replica holds each) */
        get: operations["listJobs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List admin keys (never a key or its hash) */
        get: operations["listAdminKeys"];
        put?: never;
        /** Create an admin key with a role; the key is shown once in this response */
        post: operations["createAdminKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin-keys/{id}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The record's id */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke an admin key; the last active owner key cannot be revoked */
        post: operations["revokeAdminKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who the bearer is and which role it has */
        get: operations["getCurrentAdmin"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/config": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * How the admin console may sign in (no authentication)
         * @description Public, so the console can offer "Sign in with …" before anyone is signed in. Holds no secret:
         *     the console is a public OIDC client (authorization code + PKCE), and sends the ID token it gets
         *     as its bearer. `oidc` is null when the service has no console client (KEYWARD_OIDC_CLIENT_ID).
         */
        get: operations["getAuthConfig"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness (no authentication) */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness (no authentication); 503 while the database is unreachable or change notifications are lost */
        get: operations["getReadiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Request counts and durations by route and status, in Prometheus text format (no authentication) */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        PreflightRequest: {
            /** @description The service name its token registers with, e.g. identity-service */
            service: string;
            /** @description The environment it will run in; the instance's default when omitted */
            environment?: string;
            secrets: {
                name: string;
                rules?: components["schemas"]["PreflightRules"];
            }[];
        };
        /**
         * @description The JSON Schema rules a secrets.schema.json declares for a value (the same keywords the typed
         *     client checks). A rule the server cannot compile (a bad pattern, an unknown format) is a 400
         *     naming the field. Never stored.
         */
        PreflightRules: {
            pattern?: string;
            minLength?: number;
            maxLength?: number;
            enum?: string[];
            format?: string;
        };
        /** @description What one secret will meet. Never a value. */
        PreflightResult: {
            name: string;
            /**
             * @description set (a current version), stub (asked for, no value), missing (no such secret here), disabled
             * @enum {string}
             */
            valueState: "set" | "stub" | "missing" | "disabled";
            /**
             * @description The service's access to this secret here (a revoked grant reads as denied)
             * @enum {string}
             */
            access: "granted" | "pending" | "denied" | "none";
            /**
             * @description The best of the service's tokens here; expired is an approved token past its expiry
             * @enum {string}
             */
            token: "approved" | "pending" | "expired" | "revoked" | "none";
            /**
             * @description ok, due (within the reminder window), overdue, or none when there is no value
             * @enum {string}
             */
            rotation: "ok" | "due" | "overdue" | "none";
            /**
             * @description ok (the value satisfies the rules), fails (see failedRule), differs (the rules given are not the ones stored for the secret, which its services declared, so the value was not checked against them; a caller cannot probe a value with rules of its own choosing), unchecked (no rules given, no value, or a pattern that ran past 50 ms)
             * @enum {string}
             */
            rule: "ok" | "fails" | "differs" | "unchecked";
            /** @description The first rule the value fails (pattern, minLength, maxLength, enum, format), else null */
            failedRule: string | null;
            /** @description Whether the service would get the value now (set, granted, token approved, rules not failing) */
            served: boolean;
        };
        PreflightReport: {
            service: string;
            /** @description The environment checked (its name) */
            environment: string;
            results: components["schemas"]["PreflightResult"][];
        };
        /** @description A rule that decides new tokens or access requests of one environment on its own */
        ApprovalRule: {
            id: string;
            environment: components["schemas"]["EnvironmentName"];
            kind: components["schemas"]["ApprovalRuleKind"];
            /** @description A glob over service names: * any run of characters, ? one */
            servicePattern: string;
            /** @description A glob over secret names (access kinds only); null matches any secret */
            secretPattern: string | null;
            createdBy: string;
            /** Format: date-time */
            createdAt: string;
            /** @description False for an approving rule in an environment that became protected after it was made; such a rule never fires */
            active: boolean;
            /** @description Why the rule does not fire (null when it does) */
            inactiveReason: string | null;
        };
        /**
         * @description What a rule does to a new token or access request that it matches. `token.approve` and
         *     `access.grant` let it through without an admin (never in a protected environment);
         *     `token.reject` and `access.reject` refuse it (they only narrow, so every environment takes them).
         * @enum {string}
         */
        ApprovalRuleKind: "token.approve" | "access.grant" | "token.reject" | "access.reject";
        ApprovalRuleList: {
            /** @description The environment's rules, oldest first */
            items: components["schemas"]["ApprovalRule"][];
        };
        CreateApprovalRuleRequest: {
            kind: components["schemas"]["ApprovalRuleKind"];
            /** @description A glob over service names: lower case letters, digits, . _ @ / - and the wildcards * and ? */
            servicePattern: string;
            /** @description Access kinds only: a glob over secret names (A-Z, 0-9, _ and * ?); absent or null matches any secret */
            secretPattern?: string | null;
        };
        /**
         * @description A change held for approval in a protected environment. Never carries a value: a set-value's value
         *     is held sealed (`holdsValue`) and destroyed when the request is rejected, expires or is applied.
         */
        ChangeRequest: {
            id: string;
            environment: string;
            kind: components["schemas"]["ChangeRequestKind"];
            /** @description What it changes: secret:<name>, token:<id> or access:<id> */
            target: string;
            /** @description The change's arguments (never a value) */
            payload: {
                [key: string]: unknown;
            };
            status: components["schemas"]["ChangeRequestStatus"];
            requestedBy: string;
            requestedByOwner: string | null;
            approvalsRequired: number;
            approvals: {
                actor: string;
                owner: string | null;
                /** Format: date-time */
                at: string;
            }[];
            holdsValue: boolean;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            expiresAt: string;
            /** Format: date-time */
            decidedAt: string | null;
            decidedBy: string | null;
        };
        /**
         * @description What the request changes. `environment.update` holds an environment patch in `payload.patch`;
         *     `environment.unprotect` is what older requests to turn protection off were recorded as.
         * @enum {string}
         */
        ChangeRequestKind: "token.approve" | "access.grant" | "secret.set_value" | "secret.rollback" | "secret.disable" | "secret.delete" | "environment.delete" | "environment.update" | "environment.unprotect";
        ChangeRequestList: {
            items: components["schemas"]["ChangeRequest"][];
            nextCursor: string | null;
        };
        /**
         * @description pending until approved enough times (then applied in the same transaction), rejected or expired
         * @enum {string}
         */
        ChangeRequestStatus: "pending" | "approved" | "rejected" | "expired" | "applied";
        AccessRequest: {
            id: string;
            secretName: string;
            serviceName: string;
            status: components["schemas"]["AccessStatus"];
            /** Format: date-time */
            requestedAt: string;
            /** Format: date-time */
            decidedAt: string | null;
            decidedBy: string | null;
            accessCount: number;
            /** Format: date-time */
            lastAccessedAt: string | null;
            /** @description The environment this grant belongs to (its name) */
            environment: string;
        };
        AccessRequestList: {
            items: components["schemas"]["AccessRequest"][];
            nextCursor: string | null;
        };
        /** @enum {string} */
        AccessStatus: "pending" | "granted" | "denied" | "revoked";
        /** @description An admin API key's record; never the key or its hash */
        AdminKey: {
            id: string;
            name: string;
            role: components["schemas"]["AdminRole"];
            /** Format: date-time */
            createdAt: string;
            createdBy: string;
            /** Format: date-time */
            revokedAt: string | null;
            /** Format: date-time */
            lastUsedAt: string | null;
            /** @description The environments this key may act in; null = every environment */
            environments: string[] | null;
            /** @description The person who owns this key; null when not given */
            owner: string | null;
        };
        AdminKeyList: {
            items: components["schemas"]["AdminKey"][];
            nextCursor: string | null;
        };
        /**
         * @description owner (everything, including admin keys), admin (everything but admin keys), operator (set and
         *     roll back values), viewer (read metadata), auditor (read and verify the audit log)
         * @enum {string}
         */
        AdminRole: "owner" | "admin" | "operator" | "viewer" | "auditor";
        /**
         * @description Optional terms of an approval. Leaving `expiresAt` out keeps the token's current expiry (none for
         *     a token that was never approved with one).
         */
        ApproveServiceTokenRequest: {
            /**
             * Format: date-time
             * @description When the approved token stops working (RFC 3339 date-time with a time zone), which must be
             *     after the server's clock; `null` clears the expiry, so the token never expires. From then on
             *     the gRPC server refuses the token with UNAUTHENTICATED (reason `token_expired`).
             */
            expiresAt?: string | null;
        };
        /** @description One chained audit row; it never carries a value or a token */
        AuditEntry: {
            seq: number;
            /** Format: date-time */
            at: string;
            actorType: string;
            actorId: string;
            action: string;
            target: string;
            result: string;
            reason: string | null;
            ip: string | null;
            userAgent: string | null;
            requestId: string | null;
            /** @description How many like events this row stands for (refusals of unauthenticated callers are audited once per address per window); null for a single event */
            count: number | null;
            prevHash: string;
            hash: string;
            /** @description The environment the row is about; null on rows written before environments, which belong to the legacy environment */
            environment: string | null;
        };
        /** @description How the admin console may sign in; public, and never a secret */
        AuthConfig: {
            /** @description The identity provider the console signs in with, or null when it signs in with admin keys only */
            oidc: components["schemas"]["OidcSignIn"] | null;
        };
        AuditList: {
            items: components["schemas"]["AuditEntry"][];
            nextCursor: string | null;
        };
        /** @description One archived (and dropped) audit_log partition, and where its rows went */
        AuditArchive: {
            /** @description The partition's table name, e.g. audit_log_p20260301t0000 */
            partition: string;
            /**
             * Format: date-time
             * @description The start of its time range (inclusive); null for the first partition, which held everything before its end
             */
            from: string | null;
            /**
             * Format: date-time
             * @description The end of its time range (exclusive)
             */
            to: string;
            firstSeq: number;
            lastSeq: number;
            rows: number;
            /** @description The archive's name in its sink (the file or object name) */
            archive: string;
            /** @description The sink it was written to, as the service describes it ("directory /var/lib/keyward/audit-archive", "s3://bucket/prefix"); never a credential */
            sink: string;
            /** Format: date-time */
            archivedAt: string;
        };
        /** @description Where the audit log's rows are. Search and export cover the rows in the database only (from `hotFrom` on); older rows are in `archives`. */
        AuditArchives: {
            /**
             * Format: date-time
             * @description Where the hot window starts: the start of the oldest partition still in the database. Every
             *     row stamped before it is in `archives`. Null when no partition was ever archived: every row
             *     since the log began is in the database.
             */
            hotFrom: string | null;
            /** @description The archived partitions, newest first */
            archives: components["schemas"]["AuditArchive"][];
            /** @description Partitions that left the hot window holding no rows, dropped with nothing to archive */
            droppedEmpty: number;
        };
        AuditVerification: {
            ok: boolean;
            /** @description Rows checked (when ok) */
            rows: number | null;
            /** @description The first row whose chain does not hold, or that a checkpoint covers and the log no longer holds (when not ok) */
            firstBadSeq: number | null;
            problem: string | null;
            /** @description The checkpoint the chain was checked against, or null when there was none */
            checkpoint: null | {
                seq: number;
                /** Format: date-time */
                time: string;
                /**
                 * @description `request`: the one sent with POST; `sink`: the latest the service wrote
                 * @enum {string}
                 */
                source: "request" | "sink";
            };
        };
        CreateEnvironmentRequest: {
            name: components["schemas"]["EnvironmentName"];
            /** @description Changes there will need a second admin (false when absent) */
            protected?: boolean;
        };
        /** @description An environment (development, staging, production, …) and what it holds */
        Environment: {
            id: string;
            name: components["schemas"]["EnvironmentName"];
            /** @description Changes in a protected environment are change requests other people approve */
            protected: boolean;
            /** @description Where clients and admin routes that state no environment go; exactly one environment is the default */
            default: boolean;
            /** @description The environment that received the data of an instance upgraded from before environments; audit rows with no environment belong to it */
            legacy: boolean;
            /** @description How many people besides the requester approve a change request here */
            approvalsRequired: number;
            /** @description How long a change request here stays open before it expires */
            changeRequestTtlSeconds: number;
            /** Format: date-time */
            createdAt: string;
            createdBy: string;
            counts: {
                /** @description Secrets with a value here */
                values: number;
                /** @description Secrets services asked for that have no value here */
                stubs: number;
                /** @description Service tokens bound here, not revoked */
                tokens: number;
                /** @description Access requests here, any status */
                grants: number;
            };
        };
        EnvironmentList: {
            /** @description Every environment, in the admins' order */
            items: components["schemas"]["Environment"][];
        };
        /** @description A lower-case slug */
        EnvironmentName: string;
        /**
         * @description At least one change. `default` can only be set to true (make another environment the default to
         *     move it). In a protected environment, loosening (protected false, fewer approvals, a longer
         *     lifetime) is itself a change request another person approves: send it without `name` or
         *     `default`; the whole patch is then held. Narrowing takes effect at once.
         */
        UpdateEnvironmentRequest: {
            name?: components["schemas"]["EnvironmentName"];
            protected?: boolean;
            /** @constant */
            default?: true;
            /** @description How many people besides the requester approve a change request here */
            approvalsRequired?: number;
            /** @description How long a change request here stays open, in seconds (5 minutes to 30 days) */
            changeRequestTtlSeconds?: number;
        };
        /** @description One secret in one environment */
        MatrixCell: {
            /** @description The environment's name */
            environment: string;
            /**
             * @description set: has a value; stub: a service asked for it and it has none; missing: no state in this environment; disabled: refused to every service
             * @enum {string}
             */
            state: "set" | "stub" | "missing" | "disabled";
            /** @description 0 when it has no value (stub or missing) */
            currentVersion: number;
            /** @description Rotation status at the server's clock; null where it is missing */
            rotation: components["schemas"]["Rotation"] | null;
        };
        /** @description Rows are secret definitions, columns environments (in `environments` order); never a value */
        SecretsMatrix: {
            /** @description Every environment's name, in the admins' order; each row has one cell per environment, in this order */
            environments: string[];
            items: {
                name: string;
                description: string;
                type: components["schemas"]["SecretTypeName"];
                rotationDays: number;
                reminderDays: number;
                cells: components["schemas"]["MatrixCell"][];
            }[];
            nextCursor: string | null;
        };
        PromoteRequest: {
            from: components["schemas"]["EnvironmentName"];
            to: components["schemas"]["EnvironmentName"];
            /** @description The target's current version (0 when it has no value); refused with 409 when it moved */
            expectedVersion?: number;
        };
        /** @description The new version in the target environment; never the value */
        PromoteResponse: {
            name: string;
            /** @description The source environment */
            from: string;
            /** @description The source version that was copied */
            fromVersion: number;
            /** @description The target environment */
            to: string;
            /** @description The new current version in the target */
            version: number;
        };
        CreateAdminKeyRequest: {
            name: string;
            role: components["schemas"]["AdminRole"];
            /** @description The environments this key may act in (absent = every environment); a scoped key acting elsewhere gets 403 naming `environment` */
            environments?: components["schemas"]["EnvironmentName"][];
            /** @description The person who owns this key (an id or name); two keys of one owner count as one person */
            owner?: string;
        };
        /** @description The new key's record and the key itself, shown this once; only its hash is stored */
        CreatedAdminKey: {
            key: components["schemas"]["AdminKey"];
            token: string;
        };
        CreateSecretRequest: {
            name: string;
            description?: string;
            type?: components["schemas"]["SecretTypeName"];
            rotationDays?: number;
            reminderDays?: number;
            /** @description An optional first value (write-only, never returned) */
            value?: string;
        };
        CurrentAdmin: {
            id: string;
            name: string;
            role: components["schemas"]["AdminRole"];
            /** @enum {string} */
            via: "api_key" | "oidc";
            /** @description The environments this key may act in; null = every environment */
            environments: string[] | null;
            /** @description The person owning this admin key (two keys of one owner count as one approver); null when the key names none or for an OIDC sign-in */
            owner: string | null;
        };
        Health: {
            /** @enum {string} */
            status: "ok";
        };
        /** @description A stub a service asked for, with every service that asked */
        MissingSecret: {
            name: string;
            description: string;
            /** Format: date-time */
            requestedAt: string;
            requestedBy: string;
            services: {
                serviceName: string;
                accessRequestId: string;
                status: components["schemas"]["AccessStatus"];
                /** Format: date-time */
                requestedAt: string;
            }[];
        };
        MissingSecretList: {
            items: components["schemas"]["MissingSecret"][];
            nextCursor: string | null;
        };
        /**
         * @description A public OIDC client for the console: it discovers the provider's endpoints from
         *     `{issuer}/.well-known/openid-configuration`, signs in with the authorization code flow and PKCE
         *     (S256, state and nonce), and sends the ID token (whose aud is `clientId`) as its bearer.
         */
        OidcSignIn: {
            /**
             * Format: uri
             * @description The provider's issuer URL, e.g. https://id.example.com/realms/main
             */
            issuer: string;
            clientId: string;
            /** @description The scopes to ask for (openid among them) */
            scopes: string[];
            /** @description Shown on the sign-in button, e.g. Okta */
            providerName: string;
        };
        Problem: {
            type: string;
            title: string;
            status: number;
            detail?: string;
            /** @description The request field at fault (a body field, query or path parameter, or authorization), e.g. value, limit, name */
            field?: string;
            /** @description A stable name for a refusal a client may act on, when there is one, e.g. change_requests_full */
            code?: string;
            requestId?: string;
        };
        Readiness: {
            /** @enum {string} */
            status: "ready" | "not_ready";
            checks: {
                /** @enum {string} */
                database: "ok" | "unreachable";
                /**
                 * @description The change notifications that keep this replica's caches fresh: `reconnecting` while the listening connection is lost (the replica then reads the database on every call and is not ready). Absent when the server runs without them.
                 * @enum {string}
                 */
                changes?: "ok" | "reconnecting";
            };
        };
        RollbackRequest: {
            /** @description The kept version whose value becomes a new current version */
            toVersion: number;
            expectedVersion?: number;
        };
        Rotation: {
            state: components["schemas"]["RotationState"];
            /**
             * Format: date-time
             * @description When the current version was written
             */
            lastRotatedAt: string | null;
            /** Format: date-time */
            dueAt: string | null;
            /** @description Whole days until dueAt, negative when overdue */
            daysLeft: number | null;
        };
        /**
         * @description no_value (a stub), ok, due_soon (due within 14 days) or overdue, counted from when the current
         *     version was written plus the secret's rotationDays
         * @enum {string}
         */
        RotationState: "no_value" | "ok" | "due_soon" | "overdue";
        /** @description A secret's metadata. There is no value field, by design. */
        Secret: {
            id: string;
            name: string;
            description: string;
            type: components["schemas"]["SecretTypeName"];
            status: components["schemas"]["SecretStatus"];
            currentVersion: number;
            rotationDays: number;
            /** @description Reminders start this many days before the rotation is due */
            reminderDays: number;
            rotation: components["schemas"]["Rotation"];
            /** Format: date-time */
            createdAt: string;
            createdBy: string;
            /** Format: date-time */
            updatedAt: string;
            updatedBy: string;
            rules?: components["schemas"]["DeclaredRules"];
            /** @description What the current version's type derived from its value; absent for a stub or a version stored without it */
            metadata?: components["schemas"]["SecretMetadata"];
            /** @description The environment this state (status, versions, rotation) belongs to (its name) */
            environment: string;
            credential: components["schemas"]["CredentialHealth"];
        };
        SecretList: {
            items: components["schemas"]["Secret"][];
            /** @description Pass as `cursor` for the next page; null on the last page */
            nextCursor: string | null;
        };
        /**
         * @description Non-secret facts the secret's type derived from a value when it was stored (issue #17): a
         *     certificate's subject, issuer and notAfter, a key's keyAlgorithm and keySize, a database URL's
         *     scheme, host, port and database, an AWS key id's prefix. Never the value, a password or a private part.
         */
        SecretMetadata: {
            [key: string]: string | number | boolean;
        };
        /**
         * @description The value rules the app's secrets.schema.json declares for the secret (JSON Schema keywords; only
         *     these five). The service checks every value it is given against them.
         */
        DeclaredRules: {
            pattern?: string;
            format?: string;
            minLength?: number;
            maxLength?: number;
            enum?: string[];
        };
        /**
         * @description stub (asked for, no value yet), active, or disabled (no service can read it)
         * @enum {string}
         */
        SecretStatus: "stub" | "active" | "disabled";
        SecretVersion: {
            version: number;
            /** @description The master key that wraps this version's data key */
            keyId: string;
            /** Format: date-time */
            createdAt: string;
            createdBy: string;
            current: boolean;
            /** @description What this version's type derived from its value; absent for versions stored before issue */
            metadata?: components["schemas"]["SecretMetadata"];
        };
        SecretVersionList: {
            items: components["schemas"]["SecretVersion"][];
        };
        /** @description A service token's record; never the token or its hash */
        ServiceToken: {
            id: string;
            serviceName: string;
            serviceVersion: string;
            status: components["schemas"]["TokenStatus"];
            /** Format: date-time */
            requestedAt: string;
            /** Format: date-time */
            approvedAt: string | null;
            approvedBy: string | null;
            /** Format: date-time */
            lastUsedAt: string | null;
            accessCount: number;
            /**
             * Format: date-time
             * @description When the token stops working, or null when it never expires
             */
            expiresAt: string | null;
            /**
             * @description True when `expiresAt` is set and not after the server's clock: the gRPC server refuses the
             *     token (UNAUTHENTICATED, reason `token_expired`) until an admin approves it again with a later
             *     or no expiry. Computed at response time; `status` stays `approved`.
             */
            expired: boolean;
            /** @description Who registered the token, as the gRPC server saw the caller */
            registeredFrom: {
                /** @description The peer address without its port, e.g. 10.0.0.7 (null for tokens registered before it was recorded) */
                address: string | null;
                /** @description Under mutual TLS, the client certificate that registered the token */
                certificate: null | {
                    subject: string;
                    /** @description Subject alternative names, e.g. "DNS:billing, URI:spiffe://keyward/service/billing" */
                    sans: string;
                    spiffeId: string | null;
                    /** @description SHA-256 fingerprint of the certificate */
                    fingerprint: string;
                };
            };
            /**
             * @description How many other approved tokens use this service name. A pending token with any inherits every
             *     grant of that name once approved: check that it is a redeploy and not someone else claiming
             *     the name (compare registeredFrom).
             */
            sameNameApproved: number;
            /** @description The environment this token is bound to for life (its name) */
            environment: string;
        };
        ServiceTokenList: {
            items: components["schemas"]["ServiceToken"][];
            nextCursor: string | null;
        };
        SetValueRequest: {
            value: string;
            /** @description Check-and-set; refused with 409 unless this is the current version */
            expectedVersion?: number;
        };
        SetValueResponse: {
            name: string;
            version: number;
            /** @description The environment this version belongs to (its name) */
            environment: string;
        };
        /** @enum {string} */
        TokenStatus: "pending" | "approved" | "revoked";
        UpdateSecretRequest: {
            description?: string;
            type?: components["schemas"]["SecretTypeName"];
            rotationDays?: number;
            reminderDays?: number;
        };
        /**
         * @description What kind of credential a secret holds: the one vocabulary the schema's x-keyward.type and the
         *     gRPC API's SecretType enum use (SECRET_TYPE_API_KEY is "api-key"); test/secret-type.test.ts keeps
         *     this list equal to the proto's, and @keyward/secret-types has a validator for each (certificate is
         *     an alias of pem-certificate, kept for older clients).
         * @enum {string}
         */
        SecretType: "api-key" | "llm-api-key" | "database-url" | "oauth-token" | "password" | "certificate" | "generic" | "aws-access-key" | "gcp-service-account" | "azure-client-secret" | "pem-certificate" | "pem-private-key" | "ssh-private-key" | "jwt-signing-key" | "oauth2-client" | "webhook-secret" | "stripe-key" | "github-token" | "smtp";
        /** @description A secret's type: one of the built-in SecretType names, or a custom type registered on the server (kebab case, see @keyward/secret-types registerSecretType). The server refuses a name it does not know; GET /api/secret-types lists them. */
        SecretTypeName: components["schemas"]["SecretType"] | string;
        /**
         * @description Whether the stored credential works: connected (its last test passed), verifying (a test is running), error (its last test failed; see lastError), disabled (the secret is disabled), untested (never tested, or its type has no tester).
         * @enum {string}
         */
        CredentialState: "connected" | "verifying" | "error" | "disabled" | "untested";
        /** @description A secret's credential health in one environment. Error texts are short and never hold the value. */
        CredentialHealth: {
            state: components["schemas"]["CredentialState"];
            /** @description Whether the server has a connection test for this secret's type */
            testable: boolean;
            /** @description The last failed test's error, e.g. "OpenAI answered 401: invalid API key" */
            lastError: string | null;
            /** @enum {string|null} */
            lastErrorCode: "unauthorized" | "unreachable" | "timeout" | "invalid" | "unexpected" | null;
            /** Format: date-time */
            checkedAt: string | null;
            /** Format: date-time */
            lastSuccessAt: string | null;
            /** @description Scheduled re-verification interval; null when the credential is tested only on demand */
            reverifyEveryHours: number | null;
            /** Format: date-time */
            nextCheckAt: string | null;
        };
        SecretTypeInfo: {
            name: components["schemas"]["SecretTypeName"];
            /** @description What a value of this type looks like (the validator's rule in words) */
            description: string;
            /** @description false for a custom type registered on this server */
            builtIn: boolean;
            /** @description Whether the server can test a credential of this type (POST /api/secrets/{name}/test-connection) */
            testable: boolean;
        };
        SecretTypeList: {
            items: components["schemas"]["SecretTypeInfo"][];
        };
        SetVerificationRequest: {
            /** @description Re-test the credential every this many hours (the first test runs within minutes); null turns scheduled tests off */
            everyHours: number | null;
        };
        /**
         * @description hmac-sha256: a 256-bit secret key, verified only by Keyward. ed25519: anyone with the version's
         *     public key can verify.
         * @enum {string}
         */
        SigningAlgorithm: "hmac-sha256" | "ed25519";
        SigningKeyVersion: {
            version: number;
            /** Format: date-time */
            createdAt: string;
            createdBy: string;
            /** @description Sign uses this version */
            current: boolean;
            /** @description Signatures of a retired version no longer verify */
            retired: boolean;
            /** @description Ed25519 only, the raw 32-byte public key in base64 (the private key never leaves Keyward) */
            publicKey?: string;
        };
        /**
         * @description A named signing key (issue #16). It shares the secret name space of its environment and is granted
         *     to services like a secret (access requests by name). Its key material is generated by Keyward and
         *     never returned; services sign and verify over gRPC. Disable, enable or delete it with the secret
         *     routes (`/api/secrets/{name}/disable`, …); setting, rolling back or promoting a value is refused (409).
         */
        SigningKey: {
            name: string;
            description: string;
            algorithm: components["schemas"]["SigningAlgorithm"];
            status: components["schemas"]["SecretStatus"];
            currentVersion: number;
            /** @description Versions below it are retired */
            minVersion: number;
            /** Format: date-time */
            createdAt: string;
            createdBy: string;
            environment: string;
            /** @description The kept versions, newest first (a key keeps its newest 10, like a secret) */
            versions: components["schemas"]["SigningKeyVersion"][];
        };
        SigningKeyList: {
            items: components["schemas"]["SigningKey"][];
        };
        CreateSigningKeyRequest: {
            name: string;
            algorithm: components["schemas"]["SigningAlgorithm"];
            description?: string;
        };
        RetireSigningKeyVersionsRequest: {
            /** @description Every version below this one is retired (its signatures stop verifying); at most the current version, and never lower than before */
            below: number;
        };
        /** @description A signed statement that the audit log had `seq` rows ending in `hash` at `time` (Ed25519). */
        AuditCheckpoint: {
            /** @constant */
            version: 1;
            seq: number;
            hash: string;
            /** Format: date-time */
            time: string;
            /** @description The signer's raw Ed25519 public key, base64 */
            publicKey: string;
            /** @description Ed25519 signature, base64 */
            signature: string;
        };
        AuditVerifyRequest: {
            checkpoint: components["schemas"]["AuditCheckpoint"];
            /** @description Trust this signer instead of the service's current checkpoint key (base64 raw Ed25519) */
            publicKey?: string;
        };
        /** @description A channel's name, a lower-case slug */
        ChannelName: string;
        /**
         * @description How a channel sends (a signed JSON webhook, a Slack incoming webhook, email over SMTP)
         * @enum {string}
         */
        ChannelKind: "webhook" | "slack" | "email";
        /**
         * @description A channel's settings that are not secret. webhook: `url`. slack: none (its URL is a credential).
         *     email: `host`, `port`, `from`, `to`, and optionally `user`, `secure` (implicit TLS), `requireTls`
         *     (refuse to send without STARTTLS) and `tlsCa` (a PEM CA for a private server certificate).
         */
        ChannelConfig: {
            url?: string;
            host?: string;
            port?: number;
            from?: string;
            to?: string[];
            user?: string;
            secure?: boolean;
            requireTls?: boolean;
            tlsCa?: string;
        };
        /** @description A notification channel; its credentials are never part of it */
        Channel: {
            id: string;
            name: components["schemas"]["ChannelName"];
            kind: components["schemas"]["ChannelKind"];
            config: components["schemas"]["ChannelConfig"];
            /** @description Moves on each time the credentials are replaced */
            credentialsVersion: number;
            enabled: boolean;
            /** Format: date-time */
            createdAt: string;
            createdBy: string;
        };
        ChannelList: {
            items: components["schemas"]["Channel"][];
        };
        /**
         * @description A channel's credentials, write-only: sealed like a secret value and never returned by any route.
         *     webhook: `signingSecret` (the HMAC key of the Keyward-Signature header). slack: `webhookUrl`.
         *     email: `password` (optional, with config.user).
         */
        ChannelCredentials: {
            signingSecret?: string;
            webhookUrl?: string;
            password?: string;
        };
        CreateChannelRequest: {
            name: components["schemas"]["ChannelName"];
            kind: components["schemas"]["ChannelKind"];
            config: components["schemas"]["ChannelConfig"];
            credentials: components["schemas"]["ChannelCredentials"];
        };
        /** @description What to change; credentials, when given, replace the old ones whole */
        UpdateChannelRequest: {
            enabled?: boolean;
            config?: components["schemas"]["ChannelConfig"];
            credentials?: components["schemas"]["ChannelCredentials"];
        };
        /**
         * @description What happened, for people to hear about (names and links only, never a value)
         * @enum {string}
         */
        EventType: "token.pending" | "access.requested" | "secret.stub_created" | "rotation.due" | "rotation.overdue" | "delivery.failing" | "change_request.created" | "change_request.applied" | "change_request.rejected" | "change_request.expired" | "key.rotated" | "audit.verification_failed" | "credential.failed" | "channel.test";
        /** @description One event sent (or being sent) to one channel, with its attempts; the error text never holds a credential */
        Delivery: {
            id: string;
            /** @description The idempotency key the receiver sees */
            eventId: string;
            eventType: components["schemas"]["EventType"];
            subject: string;
            environment: string | null;
            /** @enum {string} */
            status: "pending" | "delivered" | "dead";
            attempts: number;
            /** @description How many identical events this one message stands for */
            count: number;
            lastError: string | null;
            lastStatusCode: number | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            deliveredAt: string | null;
            /** Format: date-time */
            nextAttemptAt: string | null;
        };
        DeliveryList: {
            items: components["schemas"]["Delivery"][];
            nextCursor: string | null;
        };
        /** @description Routes events to a channel; an empty list matches every event type or environment */
        Subscription: {
            id: string;
            channel: components["schemas"]["ChannelName"];
            eventTypes: components["schemas"]["EventType"][];
            environments: components["schemas"]["EnvironmentName"][];
            /** Format: date-time */
            createdAt: string;
            createdBy: string;
        };
        SubscriptionList: {
            items: components["schemas"]["Subscription"][];
        };
        CreateSubscriptionRequest: {
            channel: components["schemas"]["ChannelName"];
            eventTypes?: components["schemas"]["EventType"][];
            environments?: components["schemas"]["EnvironmentName"][];
        };
        /** @description A scheduled job's state, shared by every replica (one runs it at a time) */
        Job: {
            name: string;
            /** @description As written for people, e.g. "every 60000ms" or "daily 06:00 UTC" */
            schedule: string;
            /** Format: date-time */
            nextRunAt: string;
            /** Format: date-time */
            lastStartedAt: string | null;
            /** Format: date-time */
            lastFinishedAt: string | null;
            /** @enum {string|null} */
            lastStatus: "ok" | "error" | null;
            lastError: string | null;
            runCount: number;
            /** @description The replica running it now, if any */
            leaseOwner: string | null;
            /** Format: date-time */
            leasedUntil: string | null;
        };
        JobList: {
            items: components["schemas"]["Job"][];
        };
    };
    responses: {
        /** @description An RFC 9457 problem (any error status); `field` names the request field at fault */
        Problem: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
    };
    parameters: {
        /** @description Page size (default 100) */
        Limit: number;
        /** @description The opaque `nextCursor` of the previous page */
        Cursor: string;
        /** @description A secret name, upper snake case */
        SecretName: string;
        /** @description The record's id */
        Id: string;
        /**
         * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
         *     An unknown name is a 400 naming `environment`.
         */
        Environment: string;
        /** @description An environment name, a lower-case slug */
        EnvironmentName: string;
        /**
         * @description Only rows about this environment. Rows written before environments existed carry none and
         *     belong to the legacy environment (the one that received pre-environment data), so they match it.
         *     A name no environment has now (deleted or renamed since) is not an error: it matches the rows
         *     written with it.
         */
        AuditEnvironment: string;
        /** @description The change request's id (cr_ and 32 hex digits) */
        ChangeRequestId: string;
        /** @description The approval rule's id (rule_ and 32 hex digits) */
        ApprovalRuleId: string;
        /** @description A signing key's name, upper snake case (the purpose services sign for) */
        SigningKeyName: string;
        /** @description Only rows with this action, e.g. secret.value.set */
        AuditAction: string;
        /** @description Only rows by this actor id */
        AuditActor: string;
        /** @description Only rows with this result, e.g. ok, refused */
        AuditResult: string;
        /** @description Only rows at or after this time */
        AuditFrom: string;
        /** @description Only rows before this time */
        AuditTo: string;
        /** @description The channel's name */
        ChannelName: components["schemas"]["ChannelName"];
        /** @description The subscription's id (sub_ and 32 hex digits) */
        SubscriptionId: string;
    };
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listSecrets: {
        parameters: {
            query?: {
                /**
                 * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
                 *     An unknown name is a 400 naming `environment`.
                 */
                environment?: components["parameters"]["Environment"];
                /** @description Case-insensitive search in the name and description */
                q?: string;
                status?: components["schemas"]["SecretStatus"];
                type?: components["schemas"]["SecretTypeName"];
                /** @description Only secrets in this rotation state */
                rotation?: components["schemas"]["RotationState"];
                /** @description Page size (default 100) */
                limit?: components["parameters"]["Limit"];
                /** @description The opaque `nextCursor` of the previous page */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of secrets ordered by name */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SecretList"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    createSecret: {
        parameters: {
            query?: {
                /**
                 * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
                 *     An unknown name is a 400 naming `environment`.
                 */
                environment?: components["parameters"]["Environment"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateSecretRequest"];
            };
        };
        responses: {
            /** @description The new secret's metadata */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Secret"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    listSecretTypes: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every type, built-in ones first in the registry's order */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SecretTypeList"];
                };
            };
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    getSecretsMatrix: {
        parameters: {
            query?: {
                /** @description Case-insensitive search in the name and description */
                q?: string;
                /** @description Page size (default 100) */
                limit?: components["parameters"]["Limit"];
                /** @description The opaque `nextCursor` of the previous page */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of secrets ordered by name, with one cell per environment */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SecretsMatrix"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    getSecret: {
        parameters: {
            query?: {
                /**
                 * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
                 *     An unknown name is a 400 naming `environment`.
                 */
                environment?: components["parameters"]["Environment"];
            };
            header?: never;
            path: {
                /** @description A secret name, upper snake case */
                name: components["parameters"]["SecretName"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The secret's metadata */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Secret"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    deleteSecret: {
        parameters: {
            query?: {
                /**
                 * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
                 *     An unknown name is a 400 naming `environment`.
                 */
                environment?: components["parameters"]["Environment"];
            };
            header?: never;
            path: {
                /** @description A secret name, upper snake case */
                name: components["parameters"]["SecretName"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description In a protected environment, the change request that holds this deletion until another person approves it */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChangeRequest"];
                };
            };
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    updateSecret: {
        parameters: {
            query?: {
                /**
                 * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
                 *     An unknown name is a 400 naming `environment`.
                 */
                environment?: components["parameters"]["Environment"];
            };
            header?: never;
            path: {
                /** @description A secret name, upper snake case */
                name: components["parameters"]["SecretName"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateSecretRequest"];
            };
        };
        responses: {
            /** @description The updated metadata */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Secret"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    setSecretValue: {
        parameters: {
            query?: {
                /**
                 * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
                 *     An unknown name is a 400 naming `environment`.
                 */
                environment?: components["parameters"]["Environment"];
            };
            header?: never;
            path: {
                /** @description A secret name, upper snake case */
                name: components["parameters"]["SecretName"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SetValueRequest"];
            };
        };
        responses: {
            /** @description The new version (no value) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SetValueResponse"];
                };
            };
            /** @description In a protected environment, the change request that holds this change until another person approves it */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChangeRequest"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    disableSecret: {
        parameters: {
            query?: {
                /**
                 * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
                 *     An unknown name is a 400 naming `environment`.
                 */
                environment?: components["parameters"]["Environment"];
            };
            header?: never;
            path: {
                /** @description A secret name, upper snake case */
                name: components["parameters"]["SecretName"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The secret's metadata */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Secret"];
                };
            };
            /** @description In a protected environment, the change request that holds this change until another person approves it */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChangeRequest"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    enableSecret: {
        parameters: {
            query?: {
                /**
                 * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
                 *     An unknown name is a 400 naming `environment`.
                 */
                environment?: components["parameters"]["Environment"];
            };
            header?: never;
            path: {
                /** @description A secret name, upper snake case */
                name: components["parameters"]["SecretName"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The secret's metadata */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Secret"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    listSecretVersions: {
        parameters: {
            query?: {
                /**
                 * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
                 *     An unknown name is a 400 naming `environment`.
                 */
                environment?: components["parameters"]["Environment"];
            };
            header?: never;
            path: {
                /** @description A secret name, upper snake case */
                name: components["parameters"]["SecretName"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Versions */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SecretVersionList"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    rollbackSecret: {
        parameters: {
            query?: {
                /**
                 * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
                 *     An unknown name is a 400 naming `environment`.
                 */
                environment?: components["parameters"]["Environment"];
            };
            header?: never;
            path: {
                /** @description A secret name, upper snake case */
                name: components["parameters"]["SecretName"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RollbackRequest"];
            };
        };
        responses: {
            /** @description The new version (no value) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SetValueResponse"];
                };
            };
            /** @description In a protected environment, the change request that holds this change until another person approves it */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChangeRequest"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    promoteSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A secret name, upper snake case */
                name: components["parameters"]["SecretName"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PromoteRequest"];
            };
        };
        responses: {
            /** @description The new version in the target (no value) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PromoteResponse"];
                };
            };
            /** @description In a protected environment, the change request that holds this change until another person approves it */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChangeRequest"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    testSecretConnection: {
        parameters: {
            query?: {
                /**
                 * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
                 *     An unknown name is a 400 naming `environment`.
                 */
                environment?: components["parameters"]["Environment"];
            };
            header?: never;
            path: {
                /** @description A secret name, upper snake case */
                name: components["parameters"]["SecretName"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The secret's metadata with the test's outcome in `credential` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Secret"];
                };
            };
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            429: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    setSecretVerification: {
        parameters: {
            query?: {
                /**
                 * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
                 *     An unknown name is a 400 naming `environment`.
                 */
                environment?: components["parameters"]["Environment"];
            };
            header?: never;
            path: {
                /** @description A secret name, upper snake case */
                name: components["parameters"]["SecretName"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SetVerificationRequest"];
            };
        };
        responses: {
            /** @description The secret's metadata */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Secret"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    runPreflight: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PreflightRequest"];
            };
        };
        responses: {
            /** @description One result per secret, in request order */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PreflightReport"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    listSigningKeys: {
        parameters: {
            query?: {
                /**
                 * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
                 *     An unknown name is a 400 naming `environment`.
                 */
                environment?: components["parameters"]["Environment"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Signing keys */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SigningKeyList"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    createSigningKey: {
        parameters: {
            query?: {
                /**
                 * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
                 *     An unknown name is a 400 naming `environment`.
                 */
                environment?: components["parameters"]["Environment"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateSigningKeyRequest"];
            };
        };
        responses: {
            /** @description The new signing key */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SigningKey"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    rotateSigningKey: {
        parameters: {
            query?: {
                /**
                 * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
                 *     An unknown name is a 400 naming `environment`.
                 */
                environment?: components["parameters"]["Environment"];
            };
            header?: never;
            path: {
                /** @description A signing key's name, upper snake case (the purpose services sign for) */
                name: components["parameters"]["SigningKeyName"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The signing key with its new current version */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SigningKey"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    retireSigningKeyVersions: {
        parameters: {
            query?: {
                /**
                 * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
                 *     An unknown name is a 400 naming `environment`.
                 */
                environment?: components["parameters"]["Environment"];
            };
            header?: never;
            path: {
                /** @description A signing key's name, upper snake case (the purpose services sign for) */
                name: components["parameters"]["SigningKeyName"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RetireSigningKeyVersionsRequest"];
            };
        };
        responses: {
            /** @description The signing key */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SigningKey"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    listMissingSecrets: {
        parameters: {
            query?: {
                /**
                 * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
                 *     An unknown name is a 400 naming `environment`.
                 */
                environment?: components["parameters"]["Environment"];
                /** @description Page size (default 100) */
                limit?: components["parameters"]["Limit"];
                /** @description The opaque `nextCursor` of the previous page */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of missing secrets ordered by name */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MissingSecretList"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    listServiceTokens: {
        parameters: {
            query?: {
                /**
                 * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
                 *     An unknown name is a 400 naming `environment`.
                 */
                environment?: components["parameters"]["Environment"];
                status?: components["schemas"]["TokenStatus"];
                /** @description Only this service's tokens */
                service?: string;
                /** @description Page size (default 100) */
                limit?: components["parameters"]["Limit"];
                /** @description The opaque `nextCursor` of the previous page */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of service tokens */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ServiceTokenList"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    getServiceToken: {
        parameters: {
            query?: {
                /**
                 * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
                 *     An unknown name is a 400 naming `environment`.
                 */
                environment?: components["parameters"]["Environment"];
            };
            header?: never;
            path: {
                /** @description The record's id */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The token's record */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ServiceToken"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    approveServiceToken: {
        parameters: {
            query?: {
                /**
                 * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
                 *     An unknown name is a 400 naming `environment`.
                 */
                environment?: components["parameters"]["Environment"];
            };
            header?: never;
            path: {
                /** @description The record's id */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["ApproveServiceTokenRequest"];
            };
        };
        responses: {
            /** @description The token's record */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ServiceToken"];
                };
            };
            /** @description In a protected environment, the change request that holds this change until another person approves it */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChangeRequest"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    revokeServiceToken: {
        parameters: {
            query?: {
                /**
                 * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
                 *     An unknown name is a 400 naming `environment`.
                 */
                environment?: components["parameters"]["Environment"];
            };
            header?: never;
            path: {
                /** @description The record's id */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The token's record */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ServiceToken"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    listAccessRequests: {
        parameters: {
            query?: {
                /**
                 * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
                 *     An unknown name is a 400 naming `environment`.
                 */
                environment?: components["parameters"]["Environment"];
                status?: components["schemas"]["AccessStatus"];
                service?: string;
                secret?: string;
                /** @description Page size (default 100) */
                limit?: components["parameters"]["Limit"];
                /** @description The opaque `nextCursor` of the previous page */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of access requests */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccessRequestList"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    approveAccessRequest: {
        parameters: {
            query?: {
                /**
                 * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
                 *     An unknown name is a 400 naming `environment`.
                 */
                environment?: components["parameters"]["Environment"];
            };
            header?: never;
            path: {
                /** @description The record's id */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The decided request */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccessRequest"];
                };
            };
            /** @description In a protected environment, the change request that holds this change until another person approves it */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChangeRequest"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    denyAccessRequest: {
        parameters: {
            query?: {
                /**
                 * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
                 *     An unknown name is a 400 naming `environment`.
                 */
                environment?: components["parameters"]["Environment"];
            };
            header?: never;
            path: {
                /** @description The record's id */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The decided request */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccessRequest"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    revokeAccessRequest: {
        parameters: {
            query?: {
                /**
                 * @description The environment to act in (a lower-case slug); when omitted, the instance's default environment.
                 *     An unknown name is a 400 naming `environment`.
                 */
                environment?: components["parameters"]["Environment"];
            };
            header?: never;
            path: {
                /** @description The record's id */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The decided request */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccessRequest"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    listAudit: {
        parameters: {
            query?: {
                /** @description Only rows with this action, e.g. secret.value.set */
                action?: components["parameters"]["AuditAction"];
                /** @description Only rows by this actor id */
                actor?: components["parameters"]["AuditActor"];
                /** @description Only rows with this result, e.g. ok, refused */
                result?: components["parameters"]["AuditResult"];
                /** @description Only rows at or after this time */
                from?: components["parameters"]["AuditFrom"];
                /** @description Only rows before this time */
                to?: components["parameters"]["AuditTo"];
                /**
                 * @description Only rows about this environment. Rows written before environments existed carry none and
                 *     belong to the legacy environment (the one that received pre-environment data), so they match it.
                 *     A name no environment has now (deleted or renamed since) is not an error: it matches the rows
                 *     written with it.
                 */
                environment?: components["parameters"]["AuditEnvironment"];
                /** @description Page size (default 100) */
                limit?: components["parameters"]["Limit"];
                /** @description The opaque `nextCursor` of the previous page */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of audit rows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditList"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    exportAudit: {
        parameters: {
            query: {
                format: "jsonl" | "csv";
                /** @description Only rows with this action, e.g. secret.value.set */
                action?: components["parameters"]["AuditAction"];
                /** @description Only rows by this actor id */
                actor?: components["parameters"]["AuditActor"];
                /** @description Only rows with this result, e.g. ok, refused */
                result?: components["parameters"]["AuditResult"];
                /** @description Only rows at or after this time */
                from?: components["parameters"]["AuditFrom"];
                /** @description Only rows before this time */
                to?: components["parameters"]["AuditTo"];
                /**
                 * @description Only rows about this environment. Rows written before environments existed carry none and
                 *     belong to the legacy environment (the one that received pre-environment data), so they match it.
                 *     A name no environment has now (deleted or renamed since) is not an error: it matches the rows
                 *     written with it.
                 */
                environment?: components["parameters"]["AuditEnvironment"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One audit row per line */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/x-ndjson": string;
                    "text/csv": string;
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    listAuditArchives: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The archives, newest first, and where the hot window starts */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditArchives"];
                };
            };
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    verifyAudit: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The result of the check (ok false when the chain is broken) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditVerification"];
                };
            };
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    verifyAuditCheckpoint: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AuditVerifyRequest"];
            };
        };
        responses: {
            /** @description The result of the check (ok false when the chain is broken or the checkpoint is not valid) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditVerification"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    listEnvironments: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every environment */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EnvironmentList"];
                };
            };
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    createEnvironment: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateEnvironmentRequest"];
            };
        };
        responses: {
            /** @description The new environment */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Environment"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    deleteEnvironment: {
        parameters: {
            query?: {
                /** @description The environment's name again, to delete one that holds values, tokens or grants */
                confirm?: string;
            };
            header?: never;
            path: {
                /** @description An environment name, a lower-case slug */
                name: components["parameters"]["EnvironmentName"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description In a protected environment, the change request that holds this deletion until another person approves it */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChangeRequest"];
                };
            };
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    updateEnvironment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description An environment name, a lower-case slug */
                name: components["parameters"]["EnvironmentName"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateEnvironmentRequest"];
            };
        };
        responses: {
            /** @description The environment after the change */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Environment"];
                };
            };
            /** @description Loosening a protected environment (turning protection off, fewer approvals, a longer lifetime) is a change request another person approves */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChangeRequest"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    listApprovalRules: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description An environment name, a lower-case slug */
                name: components["parameters"]["EnvironmentName"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The environment's rules */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApprovalRuleList"];
                };
            };
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    createApprovalRule: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description An environment name, a lower-case slug */
                name: components["parameters"]["EnvironmentName"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateApprovalRuleRequest"];
            };
        };
        responses: {
            /** @description The new rule */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApprovalRule"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    deleteApprovalRule: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description An environment name, a lower-case slug */
                name: components["parameters"]["EnvironmentName"];
                /** @description The approval rule's id (rule_ and 32 hex digits) */
                id: components["parameters"]["ApprovalRuleId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    listChangeRequests: {
        parameters: {
            query?: {
                /** @description Only this environment's requests (all when omitted); an unknown name is a 400 */
                environment?: string;
                status?: components["schemas"]["ChangeRequestStatus"];
                /** @description Page size (default 100) */
                limit?: components["parameters"]["Limit"];
                /** @description The opaque `nextCursor` of the previous page */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of change requests */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChangeRequestList"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    getChangeRequest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The change request's id (cr_ and 32 hex digits) */
                id: components["parameters"]["ChangeRequestId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The change request */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChangeRequest"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    approveChangeRequest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The change request's id (cr_ and 32 hex digits) */
                id: components["parameters"]["ChangeRequestId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The change request after the decision */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChangeRequest"];
                };
            };
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    rejectChangeRequest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The change request's id (cr_ and 32 hex digits) */
                id: components["parameters"]["ChangeRequestId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The change request after the decision */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChangeRequest"];
                };
            };
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    listChannels: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every channel, by name */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChannelList"];
                };
            };
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    createChannel: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateChannelRequest"];
            };
        };
        responses: {
            /** @description The new channel */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Channel"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    deleteChannel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The channel's name */
                name: components["parameters"]["ChannelName"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    updateChannel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The channel's name */
                name: components["parameters"]["ChannelName"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateChannelRequest"];
            };
        };
        responses: {
            /** @description The channel as it is now */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Channel"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    testChannel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The channel's name */
                name: components["parameters"]["ChannelName"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The test delivery, recorded in the channel's history */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Delivery"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    listChannelDeliveries: {
        parameters: {
            query?: {
                status?: "pending" | "delivered" | "dead";
                /** @description Page size (default 100) */
                limit?: components["parameters"]["Limit"];
                /** @description The opaque `nextCursor` of the previous page */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path: {
                /** @description The channel's name */
                name: components["parameters"]["ChannelName"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of deliveries */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeliveryList"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    listSubscriptions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every subscription */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SubscriptionList"];
                };
            };
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    createSubscription: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateSubscriptionRequest"];
            };
        };
        responses: {
            /** @description The new subscription */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Subscription"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    deleteSubscription: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The subscription's id (sub_ and 32 hex digits) */
                id: components["parameters"]["SubscriptionId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    listJobs: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every job, by name */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobList"];
                };
            };
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    listAdminKeys: {
        parameters: {
            query?: {
                includeRevoked?: boolean;
                /** @description Page size (default 100) */
                limit?: components["parameters"]["Limit"];
                /** @description The opaque `nextCursor` of the previous page */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of admin keys, oldest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdminKeyList"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    createAdminKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateAdminKeyRequest"];
            };
        };
        responses: {
            /** @description The key's record and the key itself (only its hash is stored) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedAdminKey"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    revokeAdminKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The record's id */
                id: components["parameters"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The revoked key's record */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdminKey"];
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    getCurrentAdmin: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The authenticated admin */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CurrentAdmin"];
                };
            };
            401: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    getAuthConfig: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The console's sign-in settings */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthConfig"];
                };
            };
            404: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The process is up */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            404: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
    getReadiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
            404: components["responses"]["Problem"];
            /** @description Not ready */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Prometheus text exposition format 0.0.4 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            404: components["responses"]["Problem"];
            default: components["responses"]["Problem"];
        };
    };
}

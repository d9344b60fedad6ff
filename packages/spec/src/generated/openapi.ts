// Generated from openapi/ by scripts/generate.mjs. Do not edit; run `pnpm --filter @keyward/spec generate`.
export const openapiDocument = {
  "openapi": "3.1.0",
  "info": {
    "title": "Keyward admin API",
    "version": "0.4.0",
    "license": {
      "name": "MIT",
      "identifier": "MIT"
    },
    "description": "Manage secrets, approve service tokens and access requests, read the audit trail and manage\nadmin keys. This API never returns a secret value: values go in (write-only) and come out only\nover gRPC to approved services. Every /api route but GET /api/auth/config is guarded by role\n(owner, admin, operator, viewer, auditor); a request whose role is not allowed gets 403.\n"
  },
  "servers": [
    {
      "url": "http://127.0.0.1:8080"
    }
  ],
  "security": [
    {
      "bearer": []
    }
  ],
  "tags": [
    {
      "name": "secrets",
      "description": "Secret metadata, write-only values, versions and rotation status"
    },
    {
      "name": "preflight",
      "description": "Whether a service will get its secrets when it starts (a deploy gate)"
    },
    {
      "name": "signing-keys",
      "description": "Named signing keys that services sign and verify with over gRPC; their material never leaves Keyward"
    },
    {
      "name": "missing-secrets",
      "description": "Stubs that services asked for and that have no value yet"
    },
    {
      "name": "service-tokens",
      "description": "Service tokens waiting for or holding approval"
    },
    {
      "name": "access-requests",
      "description": "Per (service, secret) access requests"
    },
    {
      "name": "audit",
      "description": "The HMAC-chained audit log. Search, export and verify cover the rows in the database (the hot\nwindow); older rows are archived, and GET /api/audit/archives says where.\n"
    },
    {
      "name": "environments",
      "description": "Environments (development, staging, production, …); values, tokens and grants belong to one"
    },
    {
      "name": "change-requests",
      "description": "Changes held for two-person approval in protected environments"
    },
    {
      "name": "notifications",
      "description": "Channels (webhook, Slack, email), what goes to them, their delivery history, and the scheduled jobs"
    },
    {
      "name": "admin-keys",
      "description": "Admin API keys and their roles"
    },
    {
      "name": "auth",
      "description": "How the admin console signs in"
    },
    {
      "name": "operations",
      "description": "Health, readiness and metrics"
    }
  ],
  "paths": {
    "/api/secrets": {
      "parameters": [
        {
          "$ref": "#/components/parameters/Environment"
        }
      ],
      "get": {
        "operationId": "listSecrets",
        "tags": [
          "secrets"
        ],
        "summary": "List secrets (metadata and rotation status, never values)",
        "parameters": [
          {
            "name": "q",
            "in": "query",
            "required": false,
            "description": "Case-insensitive search in the name and description",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 128,
              "pattern": "^[^\\u0000-\\u001F\\u007F]*$"
            }
          },
          {
            "name": "status",
            "in": "query",
            "required": false,
            "schema": {
              "$ref": "#/components/schemas/SecretStatus"
            }
          },
          {
            "name": "type",
            "in": "query",
            "required": false,
            "schema": {
              "$ref": "#/components/schemas/SecretTypeName"
            }
          },
          {
            "name": "rotation",
            "in": "query",
            "required": false,
            "description": "Only secrets in this rotation state",
            "schema": {
              "$ref": "#/components/schemas/RotationState"
            }
          },
          {
            "$ref": "#/components/parameters/Limit"
          },
          {
            "$ref": "#/components/parameters/Cursor"
          }
        ],
        "responses": {
          "200": {
            "description": "A page of secrets ordered by name",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/SecretList"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      },
      "post": {
        "operationId": "createSecret",
        "tags": [
          "secrets"
        ],
        "summary": "Create a secret, optionally with a first value (write-only)",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CreateSecretRequest"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The new secret's metadata",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Secret"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "409": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/secret-types": {
      "get": {
        "operationId": "listSecretTypes",
        "tags": [
          "secrets"
        ],
        "summary": "The secret types this server knows (built-in and custom), what each accepts, and which can be tested",
        "responses": {
          "200": {
            "description": "Every type, built-in ones first in the registry's order",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/SecretTypeList"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/secrets/matrix": {
      "get": {
        "operationId": "getSecretsMatrix",
        "tags": [
          "secrets"
        ],
        "summary": "The secrets matrix — each secret's state (set, stub, missing, disabled) in every environment",
        "parameters": [
          {
            "name": "q",
            "in": "query",
            "required": false,
            "description": "Case-insensitive search in the name and description",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 128,
              "pattern": "^[^\\u0000-\\u001F\\u007F]*$"
            }
          },
          {
            "$ref": "#/components/parameters/Limit"
          },
          {
            "$ref": "#/components/parameters/Cursor"
          }
        ],
        "responses": {
          "200": {
            "description": "A page of secrets ordered by name, with one cell per environment",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/SecretsMatrix"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/secrets/{name}": {
      "parameters": [
        {
          "$ref": "#/components/parameters/SecretName"
        },
        {
          "$ref": "#/components/parameters/Environment"
        }
      ],
      "get": {
        "operationId": "getSecret",
        "tags": [
          "secrets"
        ],
        "summary": "A secret's metadata and rotation status (never its value)",
        "responses": {
          "200": {
            "description": "The secret's metadata",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Secret"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      },
      "patch": {
        "operationId": "updateSecret",
        "tags": [
          "secrets"
        ],
        "summary": "Update a secret's description, type or rotation period",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/UpdateSecretRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The updated metadata",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Secret"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      },
      "delete": {
        "operationId": "deleteSecret",
        "tags": [
          "secrets"
        ],
        "summary": "Delete a secret and all its versions; its access grants are revoked",
        "responses": {
          "202": {
            "description": "In a protected environment, the change request that holds this deletion until another person approves it",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ChangeRequest"
                }
              }
            }
          },
          "204": {
            "description": "Deleted"
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/secrets/{name}/value": {
      "parameters": [
        {
          "$ref": "#/components/parameters/SecretName"
        },
        {
          "$ref": "#/components/parameters/Environment"
        }
      ],
      "put": {
        "operationId": "setSecretValue",
        "tags": [
          "secrets"
        ],
        "summary": "Set a secret's value (write-only); creates a new version",
        "description": "Refused with 409 when `expectedVersion` is not the current version, or while the secret is disabled (a write would re-enable it).\nRefused with 400 (`code` invalid_value) when the value breaks its secret's type (e.g. \"type llm-api-key: must start with sk-\")\nor a rule the app's schema declared (e.g. \"rule pattern: does not match pattern ^sk-\"); the problem never contains the value.\nA held value is checked when it is requested and again when it applies.\n",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/SetValueRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The new version (no value)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/SetValueResponse"
                }
              }
            }
          },
          "202": {
            "description": "In a protected environment, the change request that holds this change until another person approves it",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ChangeRequest"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "409": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/secrets/{name}/disable": {
      "parameters": [
        {
          "$ref": "#/components/parameters/SecretName"
        },
        {
          "$ref": "#/components/parameters/Environment"
        }
      ],
      "post": {
        "operationId": "disableSecret",
        "tags": [
          "secrets"
        ],
        "summary": "Disable a secret, so no service can read it until it is enabled",
        "responses": {
          "200": {
            "description": "The secret's metadata",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Secret"
                }
              }
            }
          },
          "202": {
            "description": "In a protected environment, the change request that holds this change until another person approves it",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ChangeRequest"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/secrets/{name}/enable": {
      "parameters": [
        {
          "$ref": "#/components/parameters/SecretName"
        },
        {
          "$ref": "#/components/parameters/Environment"
        }
      ],
      "post": {
        "operationId": "enableSecret",
        "tags": [
          "secrets"
        ],
        "summary": "Enable a disabled secret (active, or stub when it has no value)",
        "responses": {
          "200": {
            "description": "The secret's metadata",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Secret"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/secrets/{name}/versions": {
      "parameters": [
        {
          "$ref": "#/components/parameters/SecretName"
        },
        {
          "$ref": "#/components/parameters/Environment"
        }
      ],
      "get": {
        "operationId": "listSecretVersions",
        "tags": [
          "secrets"
        ],
        "summary": "The kept versions of a secret, newest first (metadata only)",
        "responses": {
          "200": {
            "description": "Versions",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/SecretVersionList"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/secrets/{name}/rollback": {
      "parameters": [
        {
          "$ref": "#/components/parameters/SecretName"
        },
        {
          "$ref": "#/components/parameters/Environment"
        }
      ],
      "post": {
        "operationId": "rollbackSecret",
        "tags": [
          "secrets"
        ],
        "summary": "Roll back to a kept version; its value becomes a new current version",
        "description": "Refused with 409 when `expectedVersion` is not the current version, or while the secret is disabled.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/RollbackRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The new version (no value)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/SetValueResponse"
                }
              }
            }
          },
          "202": {
            "description": "In a protected environment, the change request that holds this change until another person approves it",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ChangeRequest"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "409": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/secrets/{name}/promote": {
      "parameters": [
        {
          "$ref": "#/components/parameters/SecretName"
        }
      ],
      "post": {
        "operationId": "promoteSecret",
        "tags": [
          "secrets"
        ],
        "summary": "Copy a secret's current value from one environment to another, server-side",
        "description": "The value is opened and sealed again inside the service as a new version in `to`; it never\ncrosses the API. Refused with 409 when the source has no value or is disabled, when the target\nis disabled, or when `expectedVersion` is not the target's current version; 400 naming `from`\nor `to` for an unknown environment or when they are the same.\n",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/PromoteRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The new version in the target (no value)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/PromoteResponse"
                }
              }
            }
          },
          "202": {
            "description": "In a protected environment, the change request that holds this change until another person approves it",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ChangeRequest"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "409": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/secrets/{name}/test-connection": {
      "parameters": [
        {
          "$ref": "#/components/parameters/SecretName"
        },
        {
          "$ref": "#/components/parameters/Environment"
        }
      ],
      "post": {
        "operationId": "testSecretConnection",
        "tags": [
          "secrets"
        ],
        "summary": "Test that the stored credential works, from the server (the value goes only to its target)",
        "description": "Runs the connection test for the secret's type (e.g. lists models for an llm-api-key, `SELECT 1` for a database-url) and records the outcome, audited. 409 when the type has no tester, the secret has no value or is disabled; 429 when the secret was tested moments ago.",
        "responses": {
          "200": {
            "description": "The secret's metadata with the test's outcome in `credential`",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Secret"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "409": {
            "$ref": "#/components/responses/Problem"
          },
          "429": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/secrets/{name}/verification": {
      "parameters": [
        {
          "$ref": "#/components/parameters/SecretName"
        },
        {
          "$ref": "#/components/parameters/Environment"
        }
      ],
      "put": {
        "operationId": "setSecretVerification",
        "tags": [
          "secrets"
        ],
        "summary": "Turn scheduled re-verification of the credential on (every N hours) or off",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/SetVerificationRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The secret's metadata",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Secret"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "409": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/preflight": {
      "post": {
        "operationId": "runPreflight",
        "tags": [
          "preflight"
        ],
        "summary": "Will a service get each of these secrets when it starts? (a deploy gate; never a value)",
        "description": "For each named secret, in one environment (the default when omitted), what a service started\nnow with its token would meet: the value (set, stub, missing, disabled), its access (granted,\npending, denied, none), the service's token (approved, pending, expired, revoked, none), the\nrotation state, and, when `rules` are given and are the rules stored for the secret (those its\nservices declared), whether the current value satisfies them. Other rules are not checked\n(`differs`): checking a value against rules the caller chose would let it learn the value a\npattern at a time. The server decrypts a value only to check the rules and never returns it.\nEach name may appear once. Read-only; writes one audit row (`secrets.preflight`).\n",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/PreflightRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "One result per secret, in request order",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/PreflightReport"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/signing-keys": {
      "parameters": [
        {
          "$ref": "#/components/parameters/Environment"
        }
      ],
      "get": {
        "operationId": "listSigningKeys",
        "tags": [
          "signing-keys"
        ],
        "summary": "The environment's signing keys with their versions (Ed25519 public keys; never key material)",
        "responses": {
          "200": {
            "description": "Signing keys",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/SigningKeyList"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      },
      "post": {
        "operationId": "createSigningKey",
        "tags": [
          "signing-keys"
        ],
        "summary": "Create a signing key; Keyward generates version 1 of its material",
        "description": "Refused with 409 when the name is already a secret or a signing key in the environment, and in\na protected environment (signing key changes are not yet supported there).\n",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CreateSigningKeyRequest"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The new signing key",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/SigningKey"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "409": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/signing-keys/{name}/rotate": {
      "parameters": [
        {
          "$ref": "#/components/parameters/SigningKeyName"
        },
        {
          "$ref": "#/components/parameters/Environment"
        }
      ],
      "post": {
        "operationId": "rotateSigningKey",
        "tags": [
          "signing-keys"
        ],
        "summary": "Make a new version of fresh material current; older versions keep verifying until retired",
        "description": "Refused with 409 while the key is disabled, and in a protected environment.",
        "responses": {
          "200": {
            "description": "The signing key with its new current version",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/SigningKey"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "409": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/signing-keys/{name}/retire": {
      "parameters": [
        {
          "$ref": "#/components/parameters/SigningKeyName"
        },
        {
          "$ref": "#/components/parameters/Environment"
        }
      ],
      "post": {
        "operationId": "retireSigningKeyVersions",
        "tags": [
          "signing-keys"
        ],
        "summary": "Retire every version below `below`; their signatures no longer verify",
        "description": "The current version cannot be retired (rotate first), and retiring cannot be undone (409).",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/RetireSigningKeyVersionsRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The signing key",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/SigningKey"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "409": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/missing-secrets": {
      "parameters": [
        {
          "$ref": "#/components/parameters/Environment"
        }
      ],
      "get": {
        "operationId": "listMissingSecrets",
        "tags": [
          "missing-secrets"
        ],
        "summary": "Stubs (asked for, no value yet) with the services that asked",
        "parameters": [
          {
            "$ref": "#/components/parameters/Limit"
          },
          {
            "$ref": "#/components/parameters/Cursor"
          }
        ],
        "responses": {
          "200": {
            "description": "A page of missing secrets ordered by name",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/MissingSecretList"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/service-tokens": {
      "parameters": [
        {
          "$ref": "#/components/parameters/Environment"
        }
      ],
      "get": {
        "operationId": "listServiceTokens",
        "tags": [
          "service-tokens"
        ],
        "summary": "List service tokens, newest first (never the token or its hash)",
        "parameters": [
          {
            "name": "status",
            "in": "query",
            "required": false,
            "schema": {
              "$ref": "#/components/schemas/TokenStatus"
            }
          },
          {
            "name": "service",
            "in": "query",
            "required": false,
            "description": "Only this service's tokens",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 128,
              "pattern": "^[^\\u0000-\\u001F\\u007F]*$"
            }
          },
          {
            "$ref": "#/components/parameters/Limit"
          },
          {
            "$ref": "#/components/parameters/Cursor"
          }
        ],
        "responses": {
          "200": {
            "description": "A page of service tokens",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ServiceTokenList"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/service-tokens/{id}": {
      "parameters": [
        {
          "$ref": "#/components/parameters/Id"
        },
        {
          "$ref": "#/components/parameters/Environment"
        }
      ],
      "get": {
        "operationId": "getServiceToken",
        "tags": [
          "service-tokens"
        ],
        "summary": "One service token's metadata (never the token or its hash)",
        "description": "The same record the list returns: status, approval, use counters and expiry (`expired` is\ncomputed at the server's clock). An unknown id is a 404; an id outside the id format is a 400.\n",
        "responses": {
          "200": {
            "description": "The token's record",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ServiceToken"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/service-tokens/{id}/approve": {
      "parameters": [
        {
          "$ref": "#/components/parameters/Id"
        },
        {
          "$ref": "#/components/parameters/Environment"
        }
      ],
      "post": {
        "operationId": "approveServiceToken",
        "tags": [
          "service-tokens"
        ],
        "summary": "Approve a service token, optionally until a given time",
        "description": "Approves a pending token. Approving an already approved token again is allowed and is how its\nexpiry is changed: `expiresAt` sets a new one, `null` clears it, and leaving it out (or sending\nno body) keeps it; `approvedAt` and `approvedBy` record the latest approval. A revoked token\ncannot be approved (409). A past or malformed `expiresAt` is refused with 400 naming the field.\n",
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ApproveServiceTokenRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The token's record",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ServiceToken"
                }
              }
            }
          },
          "202": {
            "description": "In a protected environment, the change request that holds this change until another person approves it",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ChangeRequest"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "409": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/service-tokens/{id}/revoke": {
      "parameters": [
        {
          "$ref": "#/components/parameters/Id"
        },
        {
          "$ref": "#/components/parameters/Environment"
        }
      ],
      "post": {
        "operationId": "revokeServiceToken",
        "tags": [
          "service-tokens"
        ],
        "summary": "Revoke a service token; it can never be used again",
        "responses": {
          "200": {
            "description": "The token's record",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ServiceToken"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "409": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/access-requests": {
      "parameters": [
        {
          "$ref": "#/components/parameters/Environment"
        }
      ],
      "get": {
        "operationId": "listAccessRequests",
        "tags": [
          "access-requests"
        ],
        "summary": "List access requests, newest first",
        "parameters": [
          {
            "name": "status",
            "in": "query",
            "required": false,
            "schema": {
              "$ref": "#/components/schemas/AccessStatus"
            }
          },
          {
            "name": "service",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 128,
              "pattern": "^[^\\u0000-\\u001F\\u007F]*$"
            }
          },
          {
            "name": "secret",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string",
              "maxLength": 128,
              "pattern": "^[A-Z][A-Z0-9_]{0,127}$"
            }
          },
          {
            "$ref": "#/components/parameters/Limit"
          },
          {
            "$ref": "#/components/parameters/Cursor"
          }
        ],
        "responses": {
          "200": {
            "description": "A page of access requests",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AccessRequestList"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/access-requests/{id}/approve": {
      "parameters": [
        {
          "$ref": "#/components/parameters/Id"
        },
        {
          "$ref": "#/components/parameters/Environment"
        }
      ],
      "post": {
        "operationId": "approveAccessRequest",
        "tags": [
          "access-requests"
        ],
        "summary": "Grant a service access to a secret",
        "responses": {
          "200": {
            "description": "The decided request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AccessRequest"
                }
              }
            }
          },
          "202": {
            "description": "In a protected environment, the change request that holds this change until another person approves it",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ChangeRequest"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/access-requests/{id}/deny": {
      "parameters": [
        {
          "$ref": "#/components/parameters/Id"
        },
        {
          "$ref": "#/components/parameters/Environment"
        }
      ],
      "post": {
        "operationId": "denyAccessRequest",
        "tags": [
          "access-requests"
        ],
        "summary": "Deny a service access to a secret",
        "responses": {
          "200": {
            "description": "The decided request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AccessRequest"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/access-requests/{id}/revoke": {
      "parameters": [
        {
          "$ref": "#/components/parameters/Id"
        },
        {
          "$ref": "#/components/parameters/Environment"
        }
      ],
      "post": {
        "operationId": "revokeAccessRequest",
        "tags": [
          "access-requests"
        ],
        "summary": "Revoke a service's access to a secret",
        "responses": {
          "200": {
            "description": "The decided request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AccessRequest"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/audit": {
      "get": {
        "operationId": "listAudit",
        "tags": [
          "audit"
        ],
        "summary": "List audit rows, oldest first, with filters",
        "description": "Covers the rows in the database: the hot window, across all its partitions. Rows older than\nthe window were archived and dropped; GET /api/audit/archives says where they are.\n",
        "parameters": [
          {
            "$ref": "#/components/parameters/AuditAction"
          },
          {
            "$ref": "#/components/parameters/AuditActor"
          },
          {
            "$ref": "#/components/parameters/AuditResult"
          },
          {
            "$ref": "#/components/parameters/AuditFrom"
          },
          {
            "$ref": "#/components/parameters/AuditTo"
          },
          {
            "$ref": "#/components/parameters/AuditEnvironment"
          },
          {
            "$ref": "#/components/parameters/Limit"
          },
          {
            "$ref": "#/components/parameters/Cursor"
          }
        ],
        "responses": {
          "200": {
            "description": "A page of audit rows",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AuditList"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/audit/export": {
      "get": {
        "operationId": "exportAudit",
        "tags": [
          "audit"
        ],
        "summary": "Export the filtered audit log as JSON Lines or CSV (streamed)",
        "description": "Covers the rows in the database (the hot window). Rows older than the window are in the\narchives that GET /api/audit/archives lists, already JSON Lines (gzip-compressed).\n",
        "parameters": [
          {
            "name": "format",
            "in": "query",
            "required": true,
            "schema": {
              "type": "string",
              "enum": [
                "jsonl",
                "csv"
              ]
            }
          },
          {
            "$ref": "#/components/parameters/AuditAction"
          },
          {
            "$ref": "#/components/parameters/AuditActor"
          },
          {
            "$ref": "#/components/parameters/AuditResult"
          },
          {
            "$ref": "#/components/parameters/AuditFrom"
          },
          {
            "$ref": "#/components/parameters/AuditTo"
          },
          {
            "$ref": "#/components/parameters/AuditEnvironment"
          }
        ],
        "responses": {
          "200": {
            "description": "One audit row per line",
            "content": {
              "application/x-ndjson": {
                "schema": {
                  "type": "string"
                }
              },
              "text/csv": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/audit/archives": {
      "get": {
        "operationId": "listAuditArchives",
        "tags": [
          "audit"
        ],
        "summary": "Where the audit rows older than the hot window are (the archives of dropped partitions)",
        "description": "The audit log is partitioned by time. Partitions older than the hot window\n(KEYWARD_AUDIT_HOT_DAYS, 90 days by default) are archived to a sink (a directory or an\nS3-compatible bucket) and then dropped from the database. `GET /api/audit`,\n`GET /api/audit/export` and `GET /api/audit/verify` cover only the rows still in the database\n(the hot window, from `hotFrom` on); the rows before it are in the archives listed here, each a\ncompressed JSON Lines file that verifies on its own and links to its neighbours:\n`keyward-service audit verify-archive FILE...`.\n",
        "responses": {
          "200": {
            "description": "The archives, newest first, and where the hot window starts",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AuditArchives"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/audit/verify": {
      "get": {
        "operationId": "verifyAudit",
        "tags": [
          "audit"
        ],
        "summary": "Verify the audit chain against the service's latest checkpoint, and name the first bad row",
        "description": "Checks every row's HMAC chain. When the service writes checkpoints (to its checkpoint sink),\nthe chain must also still hold the latest one: deleting the newest rows, or every row, fails\nhere although the shorter chain is valid on its own.\n",
        "responses": {
          "200": {
            "description": "The result of the check (ok false when the chain is broken)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AuditVerification"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      },
      "post": {
        "operationId": "verifyAuditCheckpoint",
        "tags": [
          "audit"
        ],
        "summary": "Verify the audit chain against a checkpoint you kept",
        "description": "As GET, against the given checkpoint (as `keyward-service audit checkpoint` or the checkpoint\nsink wrote it). Its signature must be by the service's checkpoint signing key, or by\n`publicKey` when given (e.g. a key the service used before). A checkpoint signed by another\nkey, or whose signature does not match, answers ok false with `problem` saying so.\n",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/AuditVerifyRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The result of the check (ok false when the chain is broken or the checkpoint is not valid)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AuditVerification"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/environments": {
      "get": {
        "operationId": "listEnvironments",
        "tags": [
          "environments"
        ],
        "summary": "List environments with what each holds (counts, never values)",
        "responses": {
          "200": {
            "description": "Every environment",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/EnvironmentList"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      },
      "post": {
        "operationId": "createEnvironment",
        "tags": [
          "environments"
        ],
        "summary": "Create an environment (never the default; it starts empty)",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CreateEnvironmentRequest"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The new environment",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Environment"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "409": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/environments/{name}": {
      "parameters": [
        {
          "$ref": "#/components/parameters/EnvironmentName"
        }
      ],
      "patch": {
        "operationId": "updateEnvironment",
        "tags": [
          "environments"
        ],
        "summary": "Rename an environment, set its protected flag or approval settings, or make it the default",
        "description": "Values, tokens and grants stay with a renamed environment; audit rows keep the name they were written with.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/UpdateEnvironmentRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The environment after the change",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Environment"
                }
              }
            }
          },
          "202": {
            "description": "Loosening a protected environment (turning protection off, fewer approvals, a longer lifetime) is a change request another person approves",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ChangeRequest"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "409": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      },
      "delete": {
        "operationId": "deleteEnvironment",
        "tags": [
          "environments"
        ],
        "summary": "Delete an environment with its values, versions, tokens and grants",
        "description": "Refused with 409 for the default environment, and for one that holds values, live tokens or\ngrants unless `confirm` repeats its name. A protected environment is deleted only through a change\nrequest another person approves (202); the same refusals apply to the request.\n",
        "parameters": [
          {
            "name": "confirm",
            "in": "query",
            "required": false,
            "description": "The environment's name again, to delete one that holds values, tokens or grants",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 63,
              "pattern": "^[a-z][a-z0-9-]{0,62}$"
            }
          }
        ],
        "responses": {
          "202": {
            "description": "In a protected environment, the change request that holds this deletion until another person approves it",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ChangeRequest"
                }
              }
            }
          },
          "204": {
            "description": "Deleted"
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "409": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/environments/{name}/rules": {
      "parameters": [
        {
          "$ref": "#/components/parameters/EnvironmentName"
        }
      ],
      "get": {
        "operationId": "listApprovalRules",
        "tags": [
          "environments"
        ],
        "summary": "List an environment's approval rules",
        "description": "Each rule says whether it fires: an approving rule (`token.approve`, `access.grant`) in an\nenvironment that became protected after it was made is `active: false` and never fires.\n",
        "responses": {
          "200": {
            "description": "The environment's rules",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ApprovalRuleList"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      },
      "post": {
        "operationId": "createApprovalRule",
        "tags": [
          "environments"
        ],
        "summary": "Add an approval rule to an environment",
        "description": "A rule decides a new token or access request whose service name (and secret name, for the\naccess kinds) matches its globs, in the transaction that records it, audited with the rule as\nthe actor (`rule:<id>`). A protected environment takes only the narrowing kinds\n(`token.reject`, `access.reject`): an approving kind there is a 409 naming `environment`.\n",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CreateApprovalRuleRequest"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The new rule",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ApprovalRule"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "409": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/environments/{name}/rules/{id}": {
      "parameters": [
        {
          "$ref": "#/components/parameters/EnvironmentName"
        },
        {
          "$ref": "#/components/parameters/ApprovalRuleId"
        }
      ],
      "delete": {
        "operationId": "deleteApprovalRule",
        "tags": [
          "environments"
        ],
        "summary": "Delete an approval rule",
        "description": "What the rule decided stays decided; it stops firing.",
        "responses": {
          "204": {
            "description": "Deleted"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/change-requests": {
      "get": {
        "operationId": "listChangeRequests",
        "tags": [
          "change-requests"
        ],
        "summary": "List change requests, newest first (never a value)",
        "parameters": [
          {
            "name": "environment",
            "in": "query",
            "required": false,
            "description": "Only this environment's requests (all when omitted); an unknown name is a 400",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 63,
              "pattern": "^[a-z][a-z0-9-]{0,62}$"
            }
          },
          {
            "name": "status",
            "in": "query",
            "required": false,
            "schema": {
              "$ref": "#/components/schemas/ChangeRequestStatus"
            }
          },
          {
            "$ref": "#/components/parameters/Limit"
          },
          {
            "$ref": "#/components/parameters/Cursor"
          }
        ],
        "responses": {
          "200": {
            "description": "A page of change requests",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ChangeRequestList"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/change-requests/{id}": {
      "parameters": [
        {
          "$ref": "#/components/parameters/ChangeRequestId"
        }
      ],
      "get": {
        "operationId": "getChangeRequest",
        "tags": [
          "change-requests"
        ],
        "summary": "One change request (a pending one past its expiry is marked expired first)",
        "responses": {
          "200": {
            "description": "The change request",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ChangeRequest"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/change-requests/{id}/approve": {
      "parameters": [
        {
          "$ref": "#/components/parameters/ChangeRequestId"
        }
      ],
      "post": {
        "operationId": "approveChangeRequest",
        "tags": [
          "change-requests"
        ],
        "summary": "Approve a change request; the last approval needed applies it in the same transaction",
        "description": "The requester never approves their own request, nor does another key of the same owner or the same OIDC subject (403, field `id`); one person counts once (409). An expired or decided request is a 409.",
        "responses": {
          "200": {
            "description": "The change request after the decision",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ChangeRequest"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "409": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/change-requests/{id}/reject": {
      "parameters": [
        {
          "$ref": "#/components/parameters/ChangeRequestId"
        }
      ],
      "post": {
        "operationId": "rejectChangeRequest",
        "tags": [
          "change-requests"
        ],
        "summary": "Reject a change request (a set-value's sealed value is destroyed)",
        "description": "Any caller who may approve may reject; the requester may withdraw their own. An expired or decided request is a 409.",
        "responses": {
          "200": {
            "description": "The change request after the decision",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ChangeRequest"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "409": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/channels": {
      "get": {
        "operationId": "listChannels",
        "tags": [
          "notifications"
        ],
        "summary": "List notification channels (never their credentials)",
        "responses": {
          "200": {
            "description": "Every channel, by name",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ChannelList"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      },
      "post": {
        "operationId": "createChannel",
        "tags": [
          "notifications"
        ],
        "summary": "Add a channel; its credentials are sealed and never shown again",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CreateChannelRequest"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The new channel",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Channel"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "409": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/channels/{name}": {
      "parameters": [
        {
          "$ref": "#/components/parameters/ChannelName"
        }
      ],
      "patch": {
        "operationId": "updateChannel",
        "tags": [
          "notifications"
        ],
        "summary": "Enable or disable a channel, change its settings, or replace its credentials",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/UpdateChannelRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The channel as it is now",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Channel"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      },
      "delete": {
        "operationId": "deleteChannel",
        "tags": [
          "notifications"
        ],
        "summary": "Remove a channel with its subscriptions and delivery history",
        "responses": {
          "204": {
            "description": "Removed"
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/channels/{name}/test": {
      "parameters": [
        {
          "$ref": "#/components/parameters/ChannelName"
        }
      ],
      "post": {
        "operationId": "testChannel",
        "tags": [
          "notifications"
        ],
        "summary": "Send a test message over the channel now and answer with its delivery (delivered, or dead with the error)",
        "responses": {
          "200": {
            "description": "The test delivery, recorded in the channel's history",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Delivery"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/channels/{name}/deliveries": {
      "parameters": [
        {
          "$ref": "#/components/parameters/ChannelName"
        }
      ],
      "get": {
        "operationId": "listChannelDeliveries",
        "tags": [
          "notifications"
        ],
        "summary": "The channel's delivery history, newest first (attempts, status, error text without credentials)",
        "parameters": [
          {
            "name": "status",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string",
              "enum": [
                "pending",
                "delivered",
                "dead"
              ]
            }
          },
          {
            "$ref": "#/components/parameters/Limit"
          },
          {
            "$ref": "#/components/parameters/Cursor"
          }
        ],
        "responses": {
          "200": {
            "description": "One page of deliveries",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/DeliveryList"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/subscriptions": {
      "get": {
        "operationId": "listSubscriptions",
        "tags": [
          "notifications"
        ],
        "summary": "List which events go to which channels",
        "responses": {
          "200": {
            "description": "Every subscription",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/SubscriptionList"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      },
      "post": {
        "operationId": "createSubscription",
        "tags": [
          "notifications"
        ],
        "summary": "Route event types (all when none) in environments (all when none) to a channel",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CreateSubscriptionRequest"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The new subscription",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Subscription"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/subscriptions/{id}": {
      "parameters": [
        {
          "$ref": "#/components/parameters/SubscriptionId"
        }
      ],
      "delete": {
        "operationId": "deleteSubscription",
        "tags": [
          "notifications"
        ],
        "summary": "Stop routing these events to the channel",
        "responses": {
          "204": {
            "description": "Removed"
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/jobs": {
      "get": {
        "operationId": "listJobs",
        "tags": [
          "notifications"
        ],
        "summary": "The scheduled jobs' state (last run, next run, last error, which replica holds each)",
        "responses": {
          "200": {
            "description": "Every job, by name",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/JobList"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/admin-keys": {
      "get": {
        "operationId": "listAdminKeys",
        "tags": [
          "admin-keys"
        ],
        "summary": "List admin keys (never a key or its hash)",
        "parameters": [
          {
            "name": "includeRevoked",
            "in": "query",
            "required": false,
            "schema": {
              "type": "boolean",
              "default": false
            }
          },
          {
            "$ref": "#/components/parameters/Limit"
          },
          {
            "$ref": "#/components/parameters/Cursor"
          }
        ],
        "responses": {
          "200": {
            "description": "A page of admin keys, oldest first",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AdminKeyList"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      },
      "post": {
        "operationId": "createAdminKey",
        "tags": [
          "admin-keys"
        ],
        "summary": "Create an admin key with a role; the key is shown once in this response",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CreateAdminKeyRequest"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The key's record and the key itself (only its hash is stored)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CreatedAdminKey"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/admin-keys/{id}/revoke": {
      "parameters": [
        {
          "$ref": "#/components/parameters/Id"
        }
      ],
      "post": {
        "operationId": "revokeAdminKey",
        "tags": [
          "admin-keys"
        ],
        "summary": "Revoke an admin key; the last active owner key cannot be revoked",
        "responses": {
          "200": {
            "description": "The revoked key's record",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AdminKey"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "409": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/me": {
      "get": {
        "operationId": "getCurrentAdmin",
        "tags": [
          "admin-keys"
        ],
        "summary": "Who the bearer is and which role it has",
        "responses": {
          "200": {
            "description": "The authenticated admin",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CurrentAdmin"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/auth/config": {
      "get": {
        "operationId": "getAuthConfig",
        "tags": [
          "auth"
        ],
        "summary": "How the admin console may sign in (no authentication)",
        "description": "Public, so the console can offer \"Sign in with …\" before anyone is signed in. Holds no secret:\nthe console is a public OIDC client (authorization code + PKCE), and sends the ID token it gets\nas its bearer. `oidc` is null when the service has no console client (KEYWARD_OIDC_CLIENT_ID).\n",
        "security": [],
        "responses": {
          "200": {
            "description": "The console's sign-in settings",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AuthConfig"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/healthz": {
      "get": {
        "operationId": "getHealth",
        "tags": [
          "operations"
        ],
        "summary": "Liveness (no authentication)",
        "security": [],
        "responses": {
          "200": {
            "description": "The process is up",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Health"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/readyz": {
      "get": {
        "operationId": "getReadiness",
        "tags": [
          "operations"
        ],
        "summary": "Readiness (no authentication); 503 while the database is unreachable or change notifications are lost",
        "security": [],
        "responses": {
          "200": {
            "description": "Ready",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Readiness"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "503": {
            "description": "Not ready",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Readiness"
                }
              }
            }
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/metrics": {
      "get": {
        "operationId": "getMetrics",
        "tags": [
          "operations"
        ],
        "summary": "Request counts and durations by route and status, in Prometheus text format (no authentication)",
        "security": [],
        "responses": {
          "200": {
            "description": "Prometheus text exposition format 0.0.4",
            "content": {
              "text/plain": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "default": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    }
  },
  "components": {
    "securitySchemes": {
      "bearer": {
        "type": "http",
        "scheme": "bearer",
        "description": "An admin API key (kwa_…, the bootstrap owner key from the first start, or one created with\nPOST /api/admin-keys or keyward-service admin-keys create), or, when OIDC is configured, a JWT from the configured issuer for the\nconfigured audience, with exp and iat, whose role claim names a role.\n"
      }
    },
    "parameters": {
      "Limit": {
        "name": "limit",
        "in": "query",
        "required": false,
        "description": "Page size (default 100)",
        "schema": {
          "type": "integer",
          "minimum": 1,
          "maximum": 500,
          "default": 100
        }
      },
      "Cursor": {
        "name": "cursor",
        "in": "query",
        "required": false,
        "description": "The opaque `nextCursor` of the previous page",
        "schema": {
          "type": "string",
          "minLength": 1,
          "maxLength": 512,
          "pattern": "^[A-Za-z0-9_-]+$"
        }
      },
      "SecretName": {
        "name": "name",
        "in": "path",
        "required": true,
        "description": "A secret name, upper snake case",
        "schema": {
          "type": "string",
          "maxLength": 128,
          "pattern": "^[A-Z][A-Z0-9_]{0,127}$"
        }
      },
      "Id": {
        "name": "id",
        "in": "path",
        "required": true,
        "description": "The record's id",
        "schema": {
          "type": "string",
          "minLength": 1,
          "maxLength": 64,
          "pattern": "^[A-Za-z0-9-]+$"
        }
      },
      "Environment": {
        "name": "environment",
        "in": "query",
        "required": false,
        "description": "The environment to act in (a lower-case slug); when omitted, the instance's default environment.\nAn unknown name is a 400 naming `environment`.\n",
        "schema": {
          "type": "string",
          "minLength": 1,
          "maxLength": 63,
          "pattern": "^[a-z][a-z0-9-]{0,62}$"
        }
      },
      "EnvironmentName": {
        "name": "name",
        "in": "path",
        "required": true,
        "description": "An environment name, a lower-case slug",
        "schema": {
          "type": "string",
          "minLength": 1,
          "maxLength": 63,
          "pattern": "^[a-z][a-z0-9-]{0,62}$"
        }
      },
      "AuditEnvironment": {
        "name": "environment",
        "in": "query",
        "required": false,
        "description": "Only rows about this environment. Rows written before environments existed carry none and\nbelong to the legacy environment (the one that received pre-environment data), so they match it.\nA name no environment has now (deleted or renamed since) is not an error: it matches the rows\nwritten with it.\n",
        "schema": {
          "type": "string",
          "minLength": 1,
          "maxLength": 63,
          "pattern": "^[a-z][a-z0-9-]{0,62}$"
        }
      },
      "ChangeRequestId": {
        "name": "id",
        "in": "path",
        "required": true,
        "description": "The change request's id (cr_ and 32 hex digits)",
        "schema": {
          "type": "string",
          "minLength": 35,
          "maxLength": 35,
          "pattern": "^cr_[0-9a-f]{32}$"
        }
      },
      "ApprovalRuleId": {
        "name": "id",
        "in": "path",
        "required": true,
        "description": "The approval rule's id (rule_ and 32 hex digits)",
        "schema": {
          "type": "string",
          "minLength": 37,
          "maxLength": 37,
          "pattern": "^rule_[0-9a-f]{32}$"
        }
      },
      "SigningKeyName": {
        "name": "name",
        "in": "path",
        "required": true,
        "description": "A signing key's name, upper snake case (the purpose services sign for)",
        "schema": {
          "type": "string",
          "maxLength": 128,
          "pattern": "^[A-Z][A-Z0-9_]{0,127}$"
        }
      },
      "AuditAction": {
        "name": "action",
        "in": "query",
        "required": false,
        "description": "Only rows with this action, e.g. secret.value.set",
        "schema": {
          "type": "string",
          "minLength": 1,
          "maxLength": 100,
          "pattern": "^[^\\u0000-\\u001F\\u007F]*$"
        }
      },
      "AuditActor": {
        "name": "actor",
        "in": "query",
        "required": false,
        "description": "Only rows by this actor id",
        "schema": {
          "type": "string",
          "minLength": 1,
          "maxLength": 200,
          "pattern": "^[^\\u0000-\\u001F\\u007F]*$"
        }
      },
      "AuditResult": {
        "name": "result",
        "in": "query",
        "required": false,
        "description": "Only rows with this result, e.g. ok, refused",
        "schema": {
          "type": "string",
          "minLength": 1,
          "maxLength": 50,
          "pattern": "^[^\\u0000-\\u001F\\u007F]*$"
        }
      },
      "AuditFrom": {
        "name": "from",
        "in": "query",
        "required": false,
        "description": "Only rows at or after this time",
        "schema": {
          "type": "string",
          "format": "date-time",
          "maxLength": 64,
          "pattern": "^(19[7-9][0-9]|[2-9][0-9]{3})-"
        }
      },
      "AuditTo": {
        "name": "to",
        "in": "query",
        "required": false,
        "description": "Only rows before this time",
        "schema": {
          "type": "string",
          "format": "date-time",
          "maxLength": 64,
          "pattern": "^(19[7-9][0-9]|[2-9][0-9]{3})-"
        }
      },
      "ChannelName": {
        "name": "name",
        "in": "path",
        "required": true,
        "description": "The channel's name",
        "schema": {
          "$ref": "#/components/schemas/ChannelName"
        }
      },
      "SubscriptionId": {
        "name": "id",
        "in": "path",
        "required": true,
        "description": "The subscription's id (sub_ and 32 hex digits)",
        "schema": {
          "type": "string",
          "minLength": 36,
          "maxLength": 36,
          "pattern": "^sub_[0-9a-f]{32}$"
        }
      }
    },
    "responses": {
      "Problem": {
        "description": "An RFC 9457 problem (any error status); `field` names the request field at fault",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      }
    },
    "schemas": {
      "PreflightRequest": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "service",
          "secrets"
        ],
        "properties": {
          "service": {
            "description": "The service name its token registers with, e.g. identity-service",
            "type": "string",
            "minLength": 1,
            "maxLength": 128,
            "pattern": "^[a-z0-9][a-z0-9._@/-]{0,127}$"
          },
          "environment": {
            "description": "The environment it will run in; the instance's default when omitted",
            "type": "string",
            "minLength": 1,
            "maxLength": 63,
            "pattern": "^[a-z][a-z0-9-]{0,62}$"
          },
          "secrets": {
            "type": "array",
            "minItems": 1,
            "maxItems": 1000,
            "items": {
              "type": "object",
              "additionalProperties": false,
              "required": [
                "name"
              ],
              "properties": {
                "name": {
                  "type": "string",
                  "maxLength": 128,
                  "pattern": "^[A-Z][A-Z0-9_]{0,127}$"
                },
                "rules": {
                  "$ref": "#/components/schemas/PreflightRules"
                }
              }
            }
          }
        }
      },
      "PreflightRules": {
        "type": "object",
        "description": "The JSON Schema rules a secrets.schema.json declares for a value (the same keywords the typed\nclient checks). A rule the server cannot compile (a bad pattern, an unknown format) is a 400\nnaming the field. Never stored.\n",
        "additionalProperties": false,
        "properties": {
          "pattern": {
            "type": "string",
            "minLength": 1,
            "maxLength": 1000,
            "pattern": "^[^\\u0000-\\u001F\\u007F]*$"
          },
          "minLength": {
            "type": "integer",
            "minimum": 0,
            "maximum": 65536
          },
          "maxLength": {
            "type": "integer",
            "minimum": 0,
            "maximum": 65536
          },
          "enum": {
            "type": "array",
            "maxItems": 100,
            "items": {
              "type": "string",
              "maxLength": 65536,
              "pattern": "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F]*$"
            }
          },
          "format": {
            "type": "string",
            "minLength": 1,
            "maxLength": 64,
            "pattern": "^[a-z][a-z0-9-]*$"
          }
        }
      },
      "PreflightResult": {
        "type": "object",
        "description": "What one secret will meet. Never a value.",
        "additionalProperties": false,
        "required": [
          "name",
          "valueState",
          "access",
          "token",
          "rotation",
          "rule",
          "failedRule",
          "served"
        ],
        "properties": {
          "name": {
            "type": "string"
          },
          "valueState": {
            "description": "set (a current version), stub (asked for, no value), missing (no such secret here), disabled",
            "type": "string",
            "enum": [
              "set",
              "stub",
              "missing",
              "disabled"
            ]
          },
          "access": {
            "description": "The service's access to this secret here (a revoked grant reads as denied)",
            "type": "string",
            "enum": [
              "granted",
              "pending",
              "denied",
              "none"
            ]
          },
          "token": {
            "description": "The best of the service's tokens here; expired is an approved token past its expiry",
            "type": "string",
            "enum": [
              "approved",
              "pending",
              "expired",
              "revoked",
              "none"
            ]
          },
          "rotation": {
            "description": "ok, due (within the reminder window), overdue, or none when there is no value",
            "type": "string",
            "enum": [
              "ok",
              "due",
              "overdue",
              "none"
            ]
          },
          "rule": {
            "description": "ok (the value satisfies the rules), fails (see failedRule), differs (the rules given are not the ones stored for the secret, which its services declared, so the value was not checked against them; a caller cannot probe a value with rules of its own choosing), unchecked (no rules given, no value, or a pattern that ran past 50 ms)",
            "type": "string",
            "enum": [
              "ok",
              "fails",
              "differs",
              "unchecked"
            ]
          },
          "failedRule": {
            "description": "The first rule the value fails (pattern, minLength, maxLength, enum, format), else null",
            "type": [
              "string",
              "null"
            ]
          },
          "served": {
            "description": "Whether the service would get the value now (set, granted, token approved, rules not failing)",
            "type": "boolean"
          }
        }
      },
      "PreflightReport": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "service",
          "environment",
          "results"
        ],
        "properties": {
          "service": {
            "type": "string"
          },
          "environment": {
            "type": "string",
            "description": "The environment checked (its name)"
          },
          "results": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/PreflightResult"
            }
          }
        }
      },
      "ApprovalRule": {
        "type": "object",
        "description": "A rule that decides new tokens or access requests of one environment on its own",
        "additionalProperties": false,
        "required": [
          "id",
          "environment",
          "kind",
          "servicePattern",
          "secretPattern",
          "createdBy",
          "createdAt",
          "active",
          "inactiveReason"
        ],
        "properties": {
          "id": {
            "type": "string",
            "pattern": "^rule_[0-9a-f]{32}$"
          },
          "environment": {
            "$ref": "#/components/schemas/EnvironmentName"
          },
          "kind": {
            "$ref": "#/components/schemas/ApprovalRuleKind"
          },
          "servicePattern": {
            "type": "string",
            "description": "A glob over service names: * any run of characters, ? one"
          },
          "secretPattern": {
            "type": [
              "string",
              "null"
            ],
            "description": "A glob over secret names (access kinds only); null matches any secret"
          },
          "createdBy": {
            "type": "string"
          },
          "createdAt": {
            "type": "string",
            "format": "date-time"
          },
          "active": {
            "type": "boolean",
            "description": "False for an approving rule in an environment that became protected after it was made; such a rule never fires"
          },
          "inactiveReason": {
            "type": [
              "string",
              "null"
            ],
            "description": "Why the rule does not fire (null when it does)"
          }
        }
      },
      "ApprovalRuleKind": {
        "type": "string",
        "description": "What a rule does to a new token or access request that it matches. `token.approve` and\n`access.grant` let it through without an admin (never in a protected environment);\n`token.reject` and `access.reject` refuse it (they only narrow, so every environment takes them).\n",
        "enum": [
          "token.approve",
          "access.grant",
          "token.reject",
          "access.reject"
        ]
      },
      "ApprovalRuleList": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "items"
        ],
        "properties": {
          "items": {
            "type": "array",
            "description": "The environment's rules, oldest first",
            "maxItems": 10000,
            "items": {
              "$ref": "#/components/schemas/ApprovalRule"
            }
          }
        }
      },
      "CreateApprovalRuleRequest": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "kind",
          "servicePattern"
        ],
        "properties": {
          "kind": {
            "$ref": "#/components/schemas/ApprovalRuleKind"
          },
          "servicePattern": {
            "type": "string",
            "description": "A glob over service names: lower case letters, digits, . _ @ / - and the wildcards * and ?",
            "minLength": 1,
            "maxLength": 128,
            "pattern": "^[a-z0-9._@/*?-]+$"
          },
          "secretPattern": {
            "type": [
              "string",
              "null"
            ],
            "description": "Access kinds only: a glob over secret names (A-Z, 0-9, _ and * ?); absent or null matches any secret",
            "minLength": 1,
            "maxLength": 128,
            "pattern": "^[A-Z0-9_*?]+$"
          }
        }
      },
      "ChangeRequest": {
        "type": "object",
        "description": "A change held for approval in a protected environment. Never carries a value: a set-value's value\nis held sealed (`holdsValue`) and destroyed when the request is rejected, expires or is applied.\n",
        "additionalProperties": false,
        "required": [
          "id",
          "environment",
          "kind",
          "target",
          "payload",
          "status",
          "requestedBy",
          "requestedByOwner",
          "approvalsRequired",
          "approvals",
          "holdsValue",
          "createdAt",
          "expiresAt",
          "decidedAt",
          "decidedBy"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "environment": {
            "type": "string"
          },
          "kind": {
            "$ref": "#/components/schemas/ChangeRequestKind"
          },
          "target": {
            "type": "string",
            "description": "What it changes: secret:<name>, token:<id> or access:<id>"
          },
          "payload": {
            "type": "object",
            "description": "The change's arguments (never a value)",
            "additionalProperties": true
          },
          "status": {
            "$ref": "#/components/schemas/ChangeRequestStatus"
          },
          "requestedBy": {
            "type": "string"
          },
          "requestedByOwner": {
            "type": [
              "string",
              "null"
            ]
          },
          "approvalsRequired": {
            "type": "integer",
            "minimum": 1,
            "maximum": 10
          },
          "approvals": {
            "type": "array",
            "items": {
              "type": "object",
              "additionalProperties": false,
              "required": [
                "actor",
                "owner",
                "at"
              ],
              "properties": {
                "actor": {
                  "type": "string"
                },
                "owner": {
                  "type": [
                    "string",
                    "null"
                  ]
                },
                "at": {
                  "type": "string",
                  "format": "date-time"
                }
              }
            }
          },
          "holdsValue": {
            "type": "boolean"
          },
          "createdAt": {
            "type": "string",
            "format": "date-time"
          },
          "expiresAt": {
            "type": "string",
            "format": "date-time"
          },
          "decidedAt": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "decidedBy": {
            "type": [
              "string",
              "null"
            ]
          }
        }
      },
      "ChangeRequestKind": {
        "type": "string",
        "description": "What the request changes. `environment.update` holds an environment patch in `payload.patch`;\n`environment.unprotect` is what older requests to turn protection off were recorded as.\n",
        "enum": [
          "token.approve",
          "access.grant",
          "secret.set_value",
          "secret.rollback",
          "secret.disable",
          "secret.delete",
          "environment.delete",
          "environment.update",
          "environment.unprotect"
        ]
      },
      "ChangeRequestList": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "items",
          "nextCursor"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/ChangeRequest"
            }
          },
          "nextCursor": {
            "type": [
              "string",
              "null"
            ]
          }
        }
      },
      "ChangeRequestStatus": {
        "type": "string",
        "description": "pending until approved enough times (then applied in the same transaction), rejected or expired",
        "enum": [
          "pending",
          "approved",
          "rejected",
          "expired",
          "applied"
        ]
      },
      "AccessRequest": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "id",
          "secretName",
          "serviceName",
          "status",
          "requestedAt",
          "decidedAt",
          "decidedBy",
          "accessCount",
          "lastAccessedAt",
          "environment"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "secretName": {
            "type": "string"
          },
          "serviceName": {
            "type": "string"
          },
          "status": {
            "$ref": "#/components/schemas/AccessStatus"
          },
          "requestedAt": {
            "type": "string",
            "format": "date-time"
          },
          "decidedAt": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "decidedBy": {
            "type": [
              "string",
              "null"
            ]
          },
          "accessCount": {
            "type": "integer",
            "minimum": 0,
            "maximum": 9007199254740991
          },
          "lastAccessedAt": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "environment": {
            "description": "The environment this grant belongs to (its name)",
            "type": "string"
          }
        }
      },
      "AccessRequestList": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "items",
          "nextCursor"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/AccessRequest"
            }
          },
          "nextCursor": {
            "type": [
              "string",
              "null"
            ]
          }
        }
      },
      "AccessStatus": {
        "type": "string",
        "enum": [
          "pending",
          "granted",
          "denied",
          "revoked"
        ]
      },
      "AdminKey": {
        "type": "object",
        "description": "An admin API key's record; never the key or its hash",
        "additionalProperties": false,
        "required": [
          "id",
          "name",
          "role",
          "createdAt",
          "createdBy",
          "revokedAt",
          "lastUsedAt",
          "environments",
          "owner"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "name": {
            "type": "string"
          },
          "role": {
            "$ref": "#/components/schemas/AdminRole"
          },
          "createdAt": {
            "type": "string",
            "format": "date-time"
          },
          "createdBy": {
            "type": "string"
          },
          "revokedAt": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "lastUsedAt": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "environments": {
            "description": "The environments this key may act in; null = every environment",
            "type": [
              "array",
              "null"
            ],
            "maxItems": 100,
            "items": {
              "type": "string"
            }
          },
          "owner": {
            "description": "The person who owns this key; null when not given",
            "type": [
              "string",
              "null"
            ]
          }
        }
      },
      "AdminKeyList": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "items",
          "nextCursor"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/AdminKey"
            }
          },
          "nextCursor": {
            "type": [
              "string",
              "null"
            ]
          }
        }
      },
      "AdminRole": {
        "type": "string",
        "description": "owner (everything, including admin keys), admin (everything but admin keys), operator (set and\nroll back values), viewer (read metadata), auditor (read and verify the audit log)\n",
        "enum": [
          "owner",
          "admin",
          "operator",
          "viewer",
          "auditor"
        ]
      },
      "ApproveServiceTokenRequest": {
        "type": "object",
        "description": "Optional terms of an approval. Leaving `expiresAt` out keeps the token's current expiry (none for\na token that was never approved with one).\n",
        "additionalProperties": false,
        "properties": {
          "expiresAt": {
            "description": "When the approved token stops working (RFC 3339 date-time with a time zone), which must be\nafter the server's clock; `null` clears the expiry, so the token never expires. From then on\nthe gRPC server refuses the token with UNAUTHENTICATED (reason `token_expired`).\n",
            "type": [
              "string",
              "null"
            ],
            "format": "date-time",
            "maxLength": 64,
            "pattern": "^(19[7-9][0-9]|[2-9][0-9]{3})-"
          }
        }
      },
      "AuditEntry": {
        "type": "object",
        "description": "One chained audit row; it never carries a value or a token",
        "additionalProperties": false,
        "required": [
          "seq",
          "at",
          "actorType",
          "actorId",
          "action",
          "target",
          "result",
          "reason",
          "ip",
          "userAgent",
          "requestId",
          "count",
          "prevHash",
          "hash",
          "environment"
        ],
        "properties": {
          "seq": {
            "type": "integer",
            "minimum": 1,
            "maximum": 9007199254740991
          },
          "at": {
            "type": "string",
            "format": "date-time"
          },
          "actorType": {
            "type": "string"
          },
          "actorId": {
            "type": "string"
          },
          "action": {
            "type": "string"
          },
          "target": {
            "type": "string"
          },
          "result": {
            "type": "string"
          },
          "reason": {
            "type": [
              "string",
              "null"
            ]
          },
          "ip": {
            "type": [
              "string",
              "null"
            ]
          },
          "userAgent": {
            "type": [
              "string",
              "null"
            ]
          },
          "requestId": {
            "type": [
              "string",
              "null"
            ]
          },
          "count": {
            "description": "How many like events this row stands for (refusals of unauthenticated callers are audited once per address per window); null for a single event",
            "type": [
              "integer",
              "null"
            ],
            "minimum": 0,
            "maximum": 9007199254740991
          },
          "prevHash": {
            "type": "string"
          },
          "hash": {
            "type": "string"
          },
          "environment": {
            "description": "The environment the row is about; null on rows written before environments, which belong to the legacy environment",
            "type": [
              "string",
              "null"
            ]
          }
        }
      },
      "AuthConfig": {
        "type": "object",
        "description": "How the admin console may sign in; public, and never a secret",
        "additionalProperties": false,
        "required": [
          "oidc"
        ],
        "properties": {
          "oidc": {
            "description": "The identity provider the console signs in with, or null when it signs in with admin keys only",
            "anyOf": [
              {
                "$ref": "#/components/schemas/OidcSignIn"
              },
              {
                "type": "null"
              }
            ]
          }
        }
      },
      "AuditList": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "items",
          "nextCursor"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/AuditEntry"
            }
          },
          "nextCursor": {
            "type": [
              "string",
              "null"
            ]
          }
        }
      },
      "AuditArchive": {
        "type": "object",
        "description": "One archived (and dropped) audit_log partition, and where its rows went",
        "additionalProperties": false,
        "required": [
          "partition",
          "from",
          "to",
          "firstSeq",
          "lastSeq",
          "rows",
          "archive",
          "sink",
          "archivedAt"
        ],
        "properties": {
          "partition": {
            "type": "string",
            "description": "The partition's table name, e.g. audit_log_p20260301t0000"
          },
          "from": {
            "description": "The start of its time range (inclusive); null for the first partition, which held everything before its end",
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "to": {
            "description": "The end of its time range (exclusive)",
            "type": "string",
            "format": "date-time"
          },
          "firstSeq": {
            "type": "integer",
            "minimum": 1,
            "maximum": 9007199254740991
          },
          "lastSeq": {
            "type": "integer",
            "minimum": 1,
            "maximum": 9007199254740991
          },
          "rows": {
            "type": "integer",
            "minimum": 1,
            "maximum": 9007199254740991
          },
          "archive": {
            "type": "string",
            "description": "The archive's name in its sink (the file or object name)"
          },
          "sink": {
            "description": "The sink it was written to, as the service describes it (\"directory /var/lib/keyward/audit-archive\", \"s3://bucket/prefix\"); never a credential",
            "type": "string"
          },
          "archivedAt": {
            "type": "string",
            "format": "date-time"
          }
        }
      },
      "AuditArchives": {
        "type": "object",
        "description": "Where the audit log's rows are. Search and export cover the rows in the database only (from `hotFrom` on); older rows are in `archives`.",
        "additionalProperties": false,
        "required": [
          "hotFrom",
          "archives",
          "droppedEmpty"
        ],
        "properties": {
          "hotFrom": {
            "description": "Where the hot window starts: the start of the oldest partition still in the database. Every\nrow stamped before it is in `archives`. Null when no partition was ever archived: every row\nsince the log began is in the database.\n",
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "archives": {
            "description": "The archived partitions, newest first",
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/AuditArchive"
            }
          },
          "droppedEmpty": {
            "description": "Partitions that left the hot window holding no rows, dropped with nothing to archive",
            "type": "integer",
            "minimum": 0,
            "maximum": 9007199254740991
          }
        }
      },
      "AuditVerification": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "ok",
          "rows",
          "firstBadSeq",
          "problem",
          "checkpoint"
        ],
        "properties": {
          "ok": {
            "type": "boolean"
          },
          "rows": {
            "description": "Rows checked (when ok)",
            "type": [
              "integer",
              "null"
            ],
            "minimum": 0,
            "maximum": 9007199254740991
          },
          "firstBadSeq": {
            "description": "The first row whose chain does not hold, or that a checkpoint covers and the log no longer holds (when not ok)",
            "type": [
              "integer",
              "null"
            ],
            "minimum": 0,
            "maximum": 9007199254740991
          },
          "problem": {
            "type": [
              "string",
              "null"
            ]
          },
          "checkpoint": {
            "description": "The checkpoint the chain was checked against, or null when there was none",
            "oneOf": [
              {
                "type": "null"
              },
              {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "seq",
                  "time",
                  "source"
                ],
                "properties": {
                  "seq": {
                    "type": "integer",
                    "minimum": 0,
                    "maximum": 9007199254740991
                  },
                  "time": {
                    "type": "string",
                    "format": "date-time"
                  },
                  "source": {
                    "description": "`request`: the one sent with POST; `sink`: the latest the service wrote",
                    "type": "string",
                    "enum": [
                      "request",
                      "sink"
                    ]
                  }
                }
              }
            ]
          }
        }
      },
      "CreateEnvironmentRequest": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "name"
        ],
        "properties": {
          "name": {
            "$ref": "#/components/schemas/EnvironmentName"
          },
          "protected": {
            "type": "boolean",
            "description": "Changes there will need a second admin (false when absent)"
          }
        }
      },
      "Environment": {
        "type": "object",
        "description": "An environment (development, staging, production, …) and what it holds",
        "additionalProperties": false,
        "required": [
          "id",
          "name",
          "protected",
          "default",
          "legacy",
          "approvalsRequired",
          "changeRequestTtlSeconds",
          "createdAt",
          "createdBy",
          "counts"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "name": {
            "$ref": "#/components/schemas/EnvironmentName"
          },
          "protected": {
            "type": "boolean",
            "description": "Changes in a protected environment are change requests other people approve"
          },
          "default": {
            "type": "boolean",
            "description": "Where clients and admin routes that state no environment go; exactly one environment is the default"
          },
          "legacy": {
            "type": "boolean",
            "description": "The environment that received the data of an instance upgraded from before environments; audit rows with no environment belong to it"
          },
          "approvalsRequired": {
            "type": "integer",
            "minimum": 1,
            "maximum": 10,
            "description": "How many people besides the requester approve a change request here"
          },
          "changeRequestTtlSeconds": {
            "type": "integer",
            "minimum": 300,
            "maximum": 2592000,
            "description": "How long a change request here stays open before it expires"
          },
          "createdAt": {
            "type": "string",
            "format": "date-time"
          },
          "createdBy": {
            "type": "string"
          },
          "counts": {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "values",
              "stubs",
              "tokens",
              "grants"
            ],
            "properties": {
              "values": {
                "type": "integer",
                "minimum": 0,
                "maximum": 9007199254740991,
                "description": "Secrets with a value here"
              },
              "stubs": {
                "type": "integer",
                "minimum": 0,
                "maximum": 9007199254740991,
                "description": "Secrets services asked for that have no value here"
              },
              "tokens": {
                "type": "integer",
                "minimum": 0,
                "maximum": 9007199254740991,
                "description": "Service tokens bound here, not revoked"
              },
              "grants": {
                "type": "integer",
                "minimum": 0,
                "maximum": 9007199254740991,
                "description": "Access requests here, any status"
              }
            }
          }
        }
      },
      "EnvironmentList": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "items"
        ],
        "properties": {
          "items": {
            "type": "array",
            "description": "Every environment, in the admins' order",
            "maxItems": 1000,
            "items": {
              "$ref": "#/components/schemas/Environment"
            }
          }
        }
      },
      "EnvironmentName": {
        "type": "string",
        "description": "A lower-case slug",
        "minLength": 1,
        "maxLength": 63,
        "pattern": "^[a-z][a-z0-9-]{0,62}$"
      },
      "UpdateEnvironmentRequest": {
        "type": "object",
        "description": "At least one change. `default` can only be set to true (make another environment the default to\nmove it). In a protected environment, loosening (protected false, fewer approvals, a longer\nlifetime) is itself a change request another person approves: send it without `name` or\n`default`; the whole patch is then held. Narrowing takes effect at once.\n",
        "additionalProperties": false,
        "minProperties": 1,
        "properties": {
          "name": {
            "$ref": "#/components/schemas/EnvironmentName"
          },
          "protected": {
            "type": "boolean"
          },
          "default": {
            "type": "boolean",
            "const": true
          },
          "approvalsRequired": {
            "type": "integer",
            "minimum": 1,
            "maximum": 10,
            "description": "How many people besides the requester approve a change request here"
          },
          "changeRequestTtlSeconds": {
            "type": "integer",
            "minimum": 300,
            "maximum": 2592000,
            "description": "How long a change request here stays open, in seconds (5 minutes to 30 days)"
          }
        }
      },
      "MatrixCell": {
        "type": "object",
        "description": "One secret in one environment",
        "additionalProperties": false,
        "required": [
          "environment",
          "state",
          "currentVersion",
          "rotation"
        ],
        "properties": {
          "environment": {
            "type": "string",
            "description": "The environment's name"
          },
          "state": {
            "type": "string",
            "description": "set: has a value; stub: a service asked for it and it has none; missing: no state in this environment; disabled: refused to every service",
            "enum": [
              "set",
              "stub",
              "missing",
              "disabled"
            ]
          },
          "currentVersion": {
            "type": "integer",
            "minimum": 0,
            "maximum": 2147483647,
            "description": "0 when it has no value (stub or missing)"
          },
          "rotation": {
            "description": "Rotation status at the server's clock; null where it is missing",
            "oneOf": [
              {
                "$ref": "#/components/schemas/Rotation"
              },
              {
                "type": "null"
              }
            ]
          }
        }
      },
      "SecretsMatrix": {
        "type": "object",
        "description": "Rows are secret definitions, columns environments (in `environments` order); never a value",
        "additionalProperties": false,
        "required": [
          "environments",
          "items",
          "nextCursor"
        ],
        "properties": {
          "environments": {
            "type": "array",
            "description": "Every environment's name, in the admins' order; each row has one cell per environment, in this order",
            "maxItems": 1000,
            "items": {
              "type": "string"
            }
          },
          "items": {
            "type": "array",
            "items": {
              "type": "object",
              "additionalProperties": false,
              "required": [
                "name",
                "description",
                "type",
                "rotationDays",
                "reminderDays",
                "cells"
              ],
              "properties": {
                "name": {
                  "type": "string"
                },
                "description": {
                  "type": "string"
                },
                "type": {
                  "$ref": "#/components/schemas/SecretTypeName"
                },
                "rotationDays": {
                  "type": "integer",
                  "minimum": 1,
                  "maximum": 3650
                },
                "reminderDays": {
                  "type": "integer",
                  "minimum": 1,
                  "maximum": 365
                },
                "cells": {
                  "type": "array",
                  "maxItems": 1000,
                  "items": {
                    "$ref": "#/components/schemas/MatrixCell"
                  }
                }
              }
            }
          },
          "nextCursor": {
            "type": [
              "string",
              "null"
            ]
          }
        }
      },
      "PromoteRequest": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "from",
          "to"
        ],
        "properties": {
          "from": {
            "$ref": "#/components/schemas/EnvironmentName"
          },
          "to": {
            "$ref": "#/components/schemas/EnvironmentName"
          },
          "expectedVersion": {
            "description": "The target's current version (0 when it has no value); refused with 409 when it moved",
            "type": "integer",
            "minimum": 0,
            "maximum": 2147483647
          }
        }
      },
      "PromoteResponse": {
        "type": "object",
        "description": "The new version in the target environment; never the value",
        "additionalProperties": false,
        "required": [
          "name",
          "from",
          "fromVersion",
          "to",
          "version"
        ],
        "properties": {
          "name": {
            "type": "string"
          },
          "from": {
            "type": "string",
            "description": "The source environment"
          },
          "fromVersion": {
            "type": "integer",
            "minimum": 1,
            "maximum": 2147483647,
            "description": "The source version that was copied"
          },
          "to": {
            "type": "string",
            "description": "The target environment"
          },
          "version": {
            "type": "integer",
            "minimum": 1,
            "maximum": 2147483647,
            "description": "The new current version in the target"
          }
        }
      },
      "CreateAdminKeyRequest": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "name",
          "role"
        ],
        "properties": {
          "name": {
            "type": "string",
            "minLength": 1,
            "maxLength": 100,
            "pattern": "^[A-Za-z0-9][A-Za-z0-9 ._@-]*$"
          },
          "role": {
            "$ref": "#/components/schemas/AdminRole"
          },
          "environments": {
            "description": "The environments this key may act in (absent = every environment); a scoped key acting elsewhere gets 403 naming `environment`",
            "type": "array",
            "minItems": 1,
            "maxItems": 100,
            "uniqueItems": true,
            "items": {
              "$ref": "#/components/schemas/EnvironmentName"
            }
          },
          "owner": {
            "description": "The person who owns this key (an id or name); two keys of one owner count as one person",
            "type": "string",
            "minLength": 1,
            "maxLength": 200,
            "pattern": "^[^\\u0000-\\u001F\\u007F]*$"
          }
        }
      },
      "CreatedAdminKey": {
        "type": "object",
        "description": "The new key's record and the key itself, shown this once; only its hash is stored",
        "additionalProperties": false,
        "required": [
          "key",
          "token"
        ],
        "properties": {
          "key": {
            "$ref": "#/components/schemas/AdminKey"
          },
          "token": {
            "type": "string",
            "pattern": "^kwa_[A-Za-z0-9_-]{43}$"
          }
        }
      },
      "CreateSecretRequest": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "name"
        ],
        "properties": {
          "name": {
            "type": "string",
            "maxLength": 128,
            "pattern": "^[A-Z][A-Z0-9_]{0,127}$"
          },
          "description": {
            "type": "string",
            "maxLength": 1000,
            "pattern": "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F]*$"
          },
          "type": {
            "$ref": "#/components/schemas/SecretTypeName"
          },
          "rotationDays": {
            "type": "integer",
            "minimum": 1,
            "maximum": 3650
          },
          "reminderDays": {
            "type": "integer",
            "minimum": 1,
            "maximum": 365
          },
          "value": {
            "description": "An optional first value (write-only, never returned)",
            "type": "string",
            "minLength": 1,
            "maxLength": 65536,
            "writeOnly": true
          }
        }
      },
      "CurrentAdmin": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "id",
          "name",
          "role",
          "via",
          "environments",
          "owner"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "name": {
            "type": "string"
          },
          "role": {
            "$ref": "#/components/schemas/AdminRole"
          },
          "via": {
            "type": "string",
            "enum": [
              "api_key",
              "oidc"
            ]
          },
          "environments": {
            "description": "The environments this key may act in; null = every environment",
            "type": [
              "array",
              "null"
            ],
            "maxItems": 100,
            "items": {
              "type": "string"
            }
          },
          "owner": {
            "description": "The person owning this admin key (two keys of one owner count as one approver); null when the key names none or for an OIDC sign-in",
            "type": [
              "string",
              "null"
            ]
          }
        }
      },
      "Health": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "status"
        ],
        "properties": {
          "status": {
            "type": "string",
            "enum": [
              "ok"
            ]
          }
        }
      },
      "MissingSecret": {
        "type": "object",
        "description": "A stub a service asked for, with every service that asked",
        "additionalProperties": false,
        "required": [
          "name",
          "description",
          "requestedAt",
          "requestedBy",
          "services"
        ],
        "properties": {
          "name": {
            "type": "string"
          },
          "description": {
            "type": "string"
          },
          "requestedAt": {
            "type": "string",
            "format": "date-time"
          },
          "requestedBy": {
            "type": "string"
          },
          "services": {
            "type": "array",
            "items": {
              "type": "object",
              "additionalProperties": false,
              "required": [
                "serviceName",
                "accessRequestId",
                "status",
                "requestedAt"
              ],
              "properties": {
                "serviceName": {
                  "type": "string"
                },
                "accessRequestId": {
                  "type": "string"
                },
                "status": {
                  "$ref": "#/components/schemas/AccessStatus"
                },
                "requestedAt": {
                  "type": "string",
                  "format": "date-time"
                }
              }
            }
          }
        }
      },
      "MissingSecretList": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "items",
          "nextCursor"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/MissingSecret"
            }
          },
          "nextCursor": {
            "type": [
              "string",
              "null"
            ]
          }
        }
      },
      "OidcSignIn": {
        "type": "object",
        "description": "A public OIDC client for the console: it discovers the provider's endpoints from\n`{issuer}/.well-known/openid-configuration`, signs in with the authorization code flow and PKCE\n(S256, state and nonce), and sends the ID token (whose aud is `clientId`) as its bearer.\n",
        "additionalProperties": false,
        "required": [
          "issuer",
          "clientId",
          "scopes",
          "providerName"
        ],
        "properties": {
          "issuer": {
            "type": "string",
            "format": "uri",
            "description": "The provider's issuer URL, e.g. https://id.example.com/realms/main"
          },
          "clientId": {
            "type": "string",
            "minLength": 1
          },
          "scopes": {
            "type": "array",
            "minItems": 1,
            "items": {
              "type": "string",
              "minLength": 1
            },
            "description": "The scopes to ask for (openid among them)"
          },
          "providerName": {
            "type": "string",
            "minLength": 1,
            "description": "Shown on the sign-in button, e.g. Okta"
          }
        }
      },
      "Problem": {
        "type": "object",
        "required": [
          "type",
          "title",
          "status"
        ],
        "properties": {
          "type": {
            "type": "string"
          },
          "title": {
            "type": "string"
          },
          "status": {
            "type": "integer",
            "minimum": 100,
            "maximum": 599
          },
          "detail": {
            "type": "string"
          },
          "field": {
            "description": "The request field at fault (a body field, query or path parameter, or authorization), e.g. value, limit, name",
            "type": "string"
          },
          "code": {
            "description": "A stable name for a refusal a client may act on, when there is one, e.g. change_requests_full",
            "type": "string"
          },
          "requestId": {
            "type": "string"
          }
        }
      },
      "Readiness": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "status",
          "checks"
        ],
        "properties": {
          "status": {
            "type": "string",
            "enum": [
              "ready",
              "not_ready"
            ]
          },
          "checks": {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "database"
            ],
            "properties": {
              "database": {
                "type": "string",
                "enum": [
                  "ok",
                  "unreachable"
                ]
              },
              "changes": {
                "type": "string",
                "enum": [
                  "ok",
                  "reconnecting"
                ],
                "description": "The change notifications that keep this replica's caches fresh: `reconnecting` while the listening connection is lost (the replica then reads the database on every call and is not ready). Absent when the server runs without them."
              }
            }
          }
        }
      },
      "RollbackRequest": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "toVersion"
        ],
        "properties": {
          "toVersion": {
            "description": "The kept version whose value becomes a new current version",
            "type": "integer",
            "minimum": 1,
            "maximum": 2147483647
          },
          "expectedVersion": {
            "type": "integer",
            "minimum": 0,
            "maximum": 2147483647
          }
        }
      },
      "Rotation": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "state",
          "lastRotatedAt",
          "dueAt",
          "daysLeft"
        ],
        "properties": {
          "state": {
            "$ref": "#/components/schemas/RotationState"
          },
          "lastRotatedAt": {
            "description": "When the current version was written",
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "dueAt": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "daysLeft": {
            "description": "Whole days until dueAt, negative when overdue",
            "type": [
              "integer",
              "null"
            ],
            "minimum": -3652500,
            "maximum": 3652500
          }
        }
      },
      "RotationState": {
        "type": "string",
        "description": "no_value (a stub), ok, due_soon (due within 14 days) or overdue, counted from when the current\nversion was written plus the secret's rotationDays\n",
        "enum": [
          "no_value",
          "ok",
          "due_soon",
          "overdue"
        ]
      },
      "Secret": {
        "type": "object",
        "description": "A secret's metadata. There is no value field, by design.",
        "additionalProperties": false,
        "required": [
          "id",
          "name",
          "description",
          "type",
          "status",
          "currentVersion",
          "rotationDays",
          "reminderDays",
          "rotation",
          "createdAt",
          "createdBy",
          "updatedAt",
          "updatedBy",
          "environment",
          "credential"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "name": {
            "type": "string"
          },
          "description": {
            "type": "string"
          },
          "type": {
            "$ref": "#/components/schemas/SecretTypeName"
          },
          "status": {
            "$ref": "#/components/schemas/SecretStatus"
          },
          "currentVersion": {
            "type": "integer",
            "minimum": 0,
            "maximum": 2147483647
          },
          "rotationDays": {
            "type": "integer",
            "minimum": 1,
            "maximum": 3650
          },
          "reminderDays": {
            "type": "integer",
            "minimum": 1,
            "maximum": 365,
            "description": "Reminders start this many days before the rotation is due"
          },
          "rotation": {
            "$ref": "#/components/schemas/Rotation"
          },
          "createdAt": {
            "type": "string",
            "format": "date-time"
          },
          "createdBy": {
            "type": "string"
          },
          "updatedAt": {
            "type": "string",
            "format": "date-time"
          },
          "updatedBy": {
            "type": "string"
          },
          "rules": {
            "$ref": "#/components/schemas/DeclaredRules"
          },
          "metadata": {
            "description": "What the current version's type derived from its value; absent for a stub or a version stored without it",
            "$ref": "#/components/schemas/SecretMetadata"
          },
          "environment": {
            "description": "The environment this state (status, versions, rotation) belongs to (its name)",
            "type": "string"
          },
          "credential": {
            "$ref": "#/components/schemas/CredentialHealth"
          }
        }
      },
      "SecretList": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "items",
          "nextCursor"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Secret"
            }
          },
          "nextCursor": {
            "description": "Pass as `cursor` for the next page; null on the last page",
            "type": [
              "string",
              "null"
            ]
          }
        }
      },
      "SecretMetadata": {
        "type": "object",
        "description": "Non-secret facts the secret's type derived from a value when it was stored (issue #17): a\ncertificate's subject, issuer and notAfter, a key's keyAlgorithm and keySize, a database URL's\nscheme, host, port and database, an AWS key id's prefix. Never the value, a password or a private part.\n",
        "additionalProperties": {
          "anyOf": [
            {
              "type": "string"
            },
            {
              "type": "number"
            },
            {
              "type": "boolean"
            }
          ]
        }
      },
      "DeclaredRules": {
        "type": "object",
        "description": "The value rules the app's secrets.schema.json declares for the secret (JSON Schema keywords; only\nthese five). The service checks every value it is given against them.\n",
        "additionalProperties": false,
        "properties": {
          "pattern": {
            "type": "string"
          },
          "format": {
            "type": "string"
          },
          "minLength": {
            "type": "integer",
            "minimum": 0
          },
          "maxLength": {
            "type": "integer",
            "minimum": 0
          },
          "enum": {
            "type": "array",
            "items": {
              "type": "string"
            }
          }
        }
      },
      "SecretStatus": {
        "type": "string",
        "description": "stub (asked for, no value yet), active, or disabled (no service can read it)",
        "enum": [
          "stub",
          "active",
          "disabled"
        ]
      },
      "SecretVersion": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "version",
          "keyId",
          "createdAt",
          "createdBy",
          "current"
        ],
        "properties": {
          "version": {
            "type": "integer",
            "minimum": 1,
            "maximum": 2147483647
          },
          "keyId": {
            "type": "string",
            "description": "The master key that wraps this version's data key"
          },
          "createdAt": {
            "type": "string",
            "format": "date-time"
          },
          "createdBy": {
            "type": "string"
          },
          "current": {
            "type": "boolean"
          },
          "metadata": {
            "description": "What this version's type derived from its value; absent for versions stored before issue",
            "$ref": "#/components/schemas/SecretMetadata"
          }
        }
      },
      "SecretVersionList": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "items"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/SecretVersion"
            }
          }
        }
      },
      "ServiceToken": {
        "type": "object",
        "description": "A service token's record; never the token or its hash",
        "additionalProperties": false,
        "required": [
          "id",
          "serviceName",
          "serviceVersion",
          "status",
          "requestedAt",
          "approvedAt",
          "approvedBy",
          "lastUsedAt",
          "accessCount",
          "expiresAt",
          "expired",
          "registeredFrom",
          "sameNameApproved",
          "environment"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "serviceName": {
            "type": "string"
          },
          "serviceVersion": {
            "type": "string"
          },
          "status": {
            "$ref": "#/components/schemas/TokenStatus"
          },
          "requestedAt": {
            "type": "string",
            "format": "date-time"
          },
          "approvedAt": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "approvedBy": {
            "type": [
              "string",
              "null"
            ]
          },
          "lastUsedAt": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "accessCount": {
            "type": "integer",
            "minimum": 0,
            "maximum": 9007199254740991
          },
          "expiresAt": {
            "description": "When the token stops working, or null when it never expires",
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "expired": {
            "description": "True when `expiresAt` is set and not after the server's clock: the gRPC server refuses the\ntoken (UNAUTHENTICATED, reason `token_expired`) until an admin approves it again with a later\nor no expiry. Computed at response time; `status` stays `approved`.\n",
            "type": "boolean"
          },
          "registeredFrom": {
            "description": "Who registered the token, as the gRPC server saw the caller",
            "type": "object",
            "additionalProperties": false,
            "required": [
              "address",
              "certificate"
            ],
            "properties": {
              "address": {
                "description": "The peer address without its port, e.g. 10.0.0.7 (null for tokens registered before it was recorded)",
                "type": [
                  "string",
                  "null"
                ]
              },
              "certificate": {
                "description": "Under mutual TLS, the client certificate that registered the token",
                "oneOf": [
                  {
                    "type": "null"
                  },
                  {
                    "type": "object",
                    "additionalProperties": false,
                    "required": [
                      "subject",
                      "sans",
                      "spiffeId",
                      "fingerprint"
                    ],
                    "properties": {
                      "subject": {
                        "type": "string"
                      },
                      "sans": {
                        "description": "Subject alternative names, e.g. \"DNS:billing, URI:spiffe://keyward/service/billing\"",
                        "type": "string"
                      },
                      "spiffeId": {
                        "type": [
                          "string",
                          "null"
                        ]
                      },
                      "fingerprint": {
                        "description": "SHA-256 fingerprint of the certificate",
                        "type": "string"
                      }
                    }
                  }
                ]
              }
            }
          },
          "sameNameApproved": {
            "description": "How many other approved tokens use this service name. A pending token with any inherits every\ngrant of that name once approved: check that it is a redeploy and not someone else claiming\nthe name (compare registeredFrom).\n",
            "type": "integer",
            "minimum": 0,
            "maximum": 9007199254740991
          },
          "environment": {
            "description": "The environment this token is bound to for life (its name)",
            "type": "string"
          }
        }
      },
      "ServiceTokenList": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "items",
          "nextCursor"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/ServiceToken"
            }
          },
          "nextCursor": {
            "type": [
              "string",
              "null"
            ]
          }
        }
      },
      "SetValueRequest": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "value"
        ],
        "properties": {
          "value": {
            "type": "string",
            "minLength": 1,
            "maxLength": 65536,
            "writeOnly": true
          },
          "expectedVersion": {
            "description": "Check-and-set; refused with 409 unless this is the current version",
            "type": "integer",
            "minimum": 0,
            "maximum": 2147483647
          }
        }
      },
      "SetValueResponse": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "name",
          "version",
          "environment"
        ],
        "properties": {
          "name": {
            "type": "string"
          },
          "version": {
            "type": "integer",
            "minimum": 1,
            "maximum": 2147483647
          },
          "environment": {
            "description": "The environment this version belongs to (its name)",
            "type": "string"
          }
        }
      },
      "TokenStatus": {
        "type": "string",
        "enum": [
          "pending",
          "approved",
          "revoked"
        ]
      },
      "UpdateSecretRequest": {
        "type": "object",
        "additionalProperties": false,
        "minProperties": 1,
        "properties": {
          "description": {
            "type": "string",
            "maxLength": 1000,
            "pattern": "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F]*$"
          },
          "type": {
            "$ref": "#/components/schemas/SecretTypeName"
          },
          "rotationDays": {
            "type": "integer",
            "minimum": 1,
            "maximum": 3650
          },
          "reminderDays": {
            "type": "integer",
            "minimum": 1,
            "maximum": 365
          }
        }
      },
      "SecretType": {
        "type": "string",
        "description": "What kind of credential a secret holds: the one vocabulary the schema's x-keyward.type and the\ngRPC API's SecretType enum use (SECRET_TYPE_API_KEY is \"api-key\"); test/secret-type.test.ts keeps\nthis list equal to the proto's, and @keyward/secret-types has a validator for each (certificate is\nan alias of pem-certificate, kept for older clients).\n",
        "enum": [
          "api-key",
          "llm-api-key",
          "database-url",
          "oauth-token",
          "password",
          "certificate",
          "generic",
          "aws-access-key",
          "gcp-service-account",
          "azure-client-secret",
          "pem-certificate",
          "pem-private-key",
          "ssh-private-key",
          "jwt-signing-key",
          "oauth2-client",
          "webhook-secret",
          "stripe-key",
          "github-token",
          "smtp"
        ]
      },
      "SecretTypeName": {
        "description": "A secret's type: one of the built-in SecretType names, or a custom type registered on the server (kebab case, see @keyward/secret-types registerSecretType). The server refuses a name it does not know; GET /api/secret-types lists them.",
        "anyOf": [
          {
            "$ref": "#/components/schemas/SecretType"
          },
          {
            "type": "string",
            "pattern": "^[a-z][a-z0-9]*(-[a-z0-9]+)*$",
            "maxLength": 64
          }
        ]
      },
      "CredentialState": {
        "type": "string",
        "description": "Whether the stored credential works: connected (its last test passed), verifying (a test is running), error (its last test failed; see lastError), disabled (the secret is disabled), untested (never tested, or its type has no tester).",
        "enum": [
          "connected",
          "verifying",
          "error",
          "disabled",
          "untested"
        ]
      },
      "CredentialHealth": {
        "type": "object",
        "description": "A secret's credential health in one environment. Error texts are short and never hold the value.",
        "additionalProperties": false,
        "required": [
          "state",
          "testable",
          "lastError",
          "lastErrorCode",
          "checkedAt",
          "lastSuccessAt",
          "reverifyEveryHours",
          "nextCheckAt"
        ],
        "properties": {
          "state": {
            "$ref": "#/components/schemas/CredentialState"
          },
          "testable": {
            "type": "boolean",
            "description": "Whether the server has a connection test for this secret's type"
          },
          "lastError": {
            "type": [
              "string",
              "null"
            ],
            "maxLength": 300,
            "description": "The last failed test's error, e.g. \"OpenAI answered 401: invalid API key\""
          },
          "lastErrorCode": {
            "type": [
              "string",
              "null"
            ],
            "enum": [
              "unauthorized",
              "unreachable",
              "timeout",
              "invalid",
              "unexpected",
              null
            ]
          },
          "checkedAt": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "lastSuccessAt": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "reverifyEveryHours": {
            "type": [
              "integer",
              "null"
            ],
            "minimum": 1,
            "maximum": 8760,
            "description": "Scheduled re-verification interval; null when the credential is tested only on demand"
          },
          "nextCheckAt": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          }
        }
      },
      "SecretTypeInfo": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "name",
          "description",
          "builtIn",
          "testable"
        ],
        "properties": {
          "name": {
            "$ref": "#/components/schemas/SecretTypeName"
          },
          "description": {
            "type": "string",
            "description": "What a value of this type looks like (the validator's rule in words)"
          },
          "builtIn": {
            "type": "boolean",
            "description": "false for a custom type registered on this server"
          },
          "testable": {
            "type": "boolean",
            "description": "Whether the server can test a credential of this type (POST /api/secrets/{name}/test-connection)"
          }
        }
      },
      "SecretTypeList": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "items"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/SecretTypeInfo"
            }
          }
        }
      },
      "SetVerificationRequest": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "everyHours"
        ],
        "properties": {
          "everyHours": {
            "type": [
              "integer",
              "null"
            ],
            "minimum": 1,
            "maximum": 8760,
            "description": "Re-test the credential every this many hours (the first test runs within minutes); null turns scheduled tests off"
          }
        }
      },
      "SigningAlgorithm": {
        "type": "string",
        "description": "hmac-sha256: a 256-bit secret key, verified only by Keyward. ed25519: anyone with the version's\npublic key can verify.\n",
        "enum": [
          "hmac-sha256",
          "ed25519"
        ]
      },
      "SigningKeyVersion": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "version",
          "createdAt",
          "createdBy",
          "current",
          "retired"
        ],
        "properties": {
          "version": {
            "type": "integer",
            "minimum": 1,
            "maximum": 2147483647
          },
          "createdAt": {
            "type": "string",
            "format": "date-time"
          },
          "createdBy": {
            "type": "string"
          },
          "current": {
            "type": "boolean",
            "description": "Sign uses this version"
          },
          "retired": {
            "type": "boolean",
            "description": "Signatures of a retired version no longer verify"
          },
          "publicKey": {
            "type": "string",
            "description": "Ed25519 only, the raw 32-byte public key in base64 (the private key never leaves Keyward)"
          }
        }
      },
      "SigningKey": {
        "type": "object",
        "additionalProperties": false,
        "description": "A named signing key (issue #16). It shares the secret name space of its environment and is granted\nto services like a secret (access requests by name). Its key material is generated by Keyward and\nnever returned; services sign and verify over gRPC. Disable, enable or delete it with the secret\nroutes (`/api/secrets/{name}/disable`, …); setting, rolling back or promoting a value is refused (409).\n",
        "required": [
          "name",
          "description",
          "algorithm",
          "status",
          "currentVersion",
          "minVersion",
          "createdAt",
          "createdBy",
          "environment",
          "versions"
        ],
        "properties": {
          "name": {
            "type": "string",
            "maxLength": 128,
            "pattern": "^[A-Z][A-Z0-9_]{0,127}$"
          },
          "description": {
            "type": "string"
          },
          "algorithm": {
            "$ref": "#/components/schemas/SigningAlgorithm"
          },
          "status": {
            "$ref": "#/components/schemas/SecretStatus"
          },
          "currentVersion": {
            "type": "integer",
            "minimum": 0,
            "maximum": 2147483647
          },
          "minVersion": {
            "type": "integer",
            "minimum": 1,
            "maximum": 2147483647,
            "description": "Versions below it are retired"
          },
          "createdAt": {
            "type": "string",
            "format": "date-time"
          },
          "createdBy": {
            "type": "string"
          },
          "environment": {
            "type": "string"
          },
          "versions": {
            "description": "The kept versions, newest first (a key keeps its newest 10, like a secret)",
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/SigningKeyVersion"
            }
          }
        }
      },
      "SigningKeyList": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "items"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/SigningKey"
            }
          }
        }
      },
      "CreateSigningKeyRequest": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "name",
          "algorithm"
        ],
        "properties": {
          "name": {
            "type": "string",
            "maxLength": 128,
            "pattern": "^[A-Z][A-Z0-9_]{0,127}$"
          },
          "algorithm": {
            "$ref": "#/components/schemas/SigningAlgorithm"
          },
          "description": {
            "type": "string",
            "maxLength": 1000,
            "pattern": "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F]*$"
          }
        }
      },
      "RetireSigningKeyVersionsRequest": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "below"
        ],
        "properties": {
          "below": {
            "description": "Every version below this one is retired (its signatures stop verifying); at most the current version, and never lower than before",
            "type": "integer",
            "minimum": 1,
            "maximum": 2147483647
          }
        }
      },
      "AuditCheckpoint": {
        "type": "object",
        "description": "A signed statement that the audit log had `seq` rows ending in `hash` at `time` (Ed25519).",
        "additionalProperties": false,
        "required": [
          "version",
          "seq",
          "hash",
          "time",
          "publicKey",
          "signature"
        ],
        "properties": {
          "version": {
            "type": "integer",
            "const": 1
          },
          "seq": {
            "type": "integer",
            "minimum": 0,
            "maximum": 9007199254740991
          },
          "hash": {
            "type": "string",
            "maxLength": 64,
            "pattern": "^[0-9a-f]{64}$"
          },
          "time": {
            "type": "string",
            "format": "date-time",
            "maxLength": 64,
            "pattern": "^(19[7-9][0-9]|[2-9][0-9]{3})-"
          },
          "publicKey": {
            "description": "The signer's raw Ed25519 public key, base64",
            "type": "string",
            "maxLength": 44,
            "pattern": "^[A-Za-z0-9+/]{43}=$"
          },
          "signature": {
            "description": "Ed25519 signature, base64",
            "type": "string",
            "maxLength": 88,
            "pattern": "^[A-Za-z0-9+/]{86}==$"
          }
        }
      },
      "AuditVerifyRequest": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "checkpoint"
        ],
        "properties": {
          "checkpoint": {
            "$ref": "#/components/schemas/AuditCheckpoint"
          },
          "publicKey": {
            "description": "Trust this signer instead of the service's current checkpoint key (base64 raw Ed25519)",
            "type": "string",
            "maxLength": 44,
            "pattern": "^[A-Za-z0-9+/]{43}=$"
          }
        }
      },
      "ChannelName": {
        "type": "string",
        "description": "A channel's name, a lower-case slug",
        "minLength": 1,
        "maxLength": 63,
        "pattern": "^[a-z0-9][a-z0-9-]{0,62}$"
      },
      "ChannelKind": {
        "type": "string",
        "description": "How a channel sends (a signed JSON webhook, a Slack incoming webhook, email over SMTP)",
        "enum": [
          "webhook",
          "slack",
          "email"
        ]
      },
      "ChannelConfig": {
        "type": "object",
        "description": "A channel's settings that are not secret. webhook: `url`. slack: none (its URL is a credential).\nemail: `host`, `port`, `from`, `to`, and optionally `user`, `secure` (implicit TLS), `requireTls`\n(refuse to send without STARTTLS) and `tlsCa` (a PEM CA for a private server certificate).\n",
        "additionalProperties": false,
        "properties": {
          "url": {
            "type": "string",
            "minLength": 1,
            "maxLength": 2048,
            "pattern": "^https?://[^\\u0000-\\u0020\\u007F]+$"
          },
          "host": {
            "type": "string",
            "minLength": 1,
            "maxLength": 253,
            "pattern": "^[A-Za-z0-9.:\\[\\]-]+$"
          },
          "port": {
            "type": "integer",
            "minimum": 1,
            "maximum": 65535
          },
          "from": {
            "type": "string",
            "minLength": 3,
            "maxLength": 320,
            "pattern": "^[^\\u0000-\\u001F\\u007F]*@[^\\u0000-\\u001F\\u007F]*$"
          },
          "to": {
            "type": "array",
            "minItems": 1,
            "maxItems": 50,
            "items": {
              "type": "string",
              "minLength": 3,
              "maxLength": 320,
              "pattern": "^[^\\u0000-\\u001F\\u007F\\s]+@[^\\u0000-\\u001F\\u007F\\s]+$"
            }
          },
          "user": {
            "type": "string",
            "minLength": 1,
            "maxLength": 320,
            "pattern": "^[^\\u0000-\\u001F\\u007F]*$"
          },
          "secure": {
            "type": "boolean"
          },
          "requireTls": {
            "type": "boolean"
          },
          "tlsCa": {
            "type": "string",
            "minLength": 1,
            "maxLength": 65536,
            "pattern": "^-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\\r\\n -]*-----END CERTIFICATE-----\\s*$"
          }
        }
      },
      "Channel": {
        "type": "object",
        "description": "A notification channel; its credentials are never part of it",
        "additionalProperties": false,
        "required": [
          "id",
          "name",
          "kind",
          "config",
          "credentialsVersion",
          "enabled",
          "createdAt",
          "createdBy"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "name": {
            "$ref": "#/components/schemas/ChannelName"
          },
          "kind": {
            "$ref": "#/components/schemas/ChannelKind"
          },
          "config": {
            "$ref": "#/components/schemas/ChannelConfig"
          },
          "credentialsVersion": {
            "type": "integer",
            "minimum": 1,
            "maximum": 2147483647,
            "description": "Moves on each time the credentials are replaced"
          },
          "enabled": {
            "type": "boolean"
          },
          "createdAt": {
            "type": "string",
            "format": "date-time"
          },
          "createdBy": {
            "type": "string"
          }
        }
      },
      "ChannelList": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "items"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Channel"
            }
          }
        }
      },
      "ChannelCredentials": {
        "type": "object",
        "description": "A channel's credentials, write-only: sealed like a secret value and never returned by any route.\nwebhook: `signingSecret` (the HMAC key of the Keyward-Signature header). slack: `webhookUrl`.\nemail: `password` (optional, with config.user).\n",
        "additionalProperties": false,
        "properties": {
          "signingSecret": {
            "type": "string",
            "minLength": 16,
            "maxLength": 512,
            "writeOnly": true
          },
          "webhookUrl": {
            "type": "string",
            "minLength": 1,
            "maxLength": 2048,
            "pattern": "^https?://",
            "writeOnly": true
          },
          "password": {
            "type": "string",
            "minLength": 1,
            "maxLength": 1024,
            "writeOnly": true
          }
        }
      },
      "CreateChannelRequest": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "name",
          "kind",
          "config",
          "credentials"
        ],
        "properties": {
          "name": {
            "$ref": "#/components/schemas/ChannelName"
          },
          "kind": {
            "$ref": "#/components/schemas/ChannelKind"
          },
          "config": {
            "$ref": "#/components/schemas/ChannelConfig"
          },
          "credentials": {
            "$ref": "#/components/schemas/ChannelCredentials"
          }
        }
      },
      "UpdateChannelRequest": {
        "type": "object",
        "description": "What to change; credentials, when given, replace the old ones whole",
        "additionalProperties": false,
        "minProperties": 1,
        "properties": {
          "enabled": {
            "type": "boolean"
          },
          "config": {
            "$ref": "#/components/schemas/ChannelConfig"
          },
          "credentials": {
            "$ref": "#/components/schemas/ChannelCredentials"
          }
        }
      },
      "EventType": {
        "type": "string",
        "description": "What happened, for people to hear about (names and links only, never a value)",
        "enum": [
          "token.pending",
          "access.requested",
          "secret.stub_created",
          "rotation.due",
          "rotation.overdue",
          "delivery.failing",
          "change_request.created",
          "change_request.applied",
          "change_request.rejected",
          "change_request.expired",
          "key.rotated",
          "audit.verification_failed",
          "credential.failed",
          "channel.test"
        ]
      },
      "Delivery": {
        "type": "object",
        "description": "One event sent (or being sent) to one channel, with its attempts; the error text never holds a credential",
        "additionalProperties": false,
        "required": [
          "id",
          "eventId",
          "eventType",
          "subject",
          "environment",
          "status",
          "attempts",
          "count",
          "lastError",
          "lastStatusCode",
          "createdAt",
          "deliveredAt",
          "nextAttemptAt"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "eventId": {
            "type": "string",
            "description": "The idempotency key the receiver sees"
          },
          "eventType": {
            "$ref": "#/components/schemas/EventType"
          },
          "subject": {
            "type": "string"
          },
          "environment": {
            "type": [
              "string",
              "null"
            ]
          },
          "status": {
            "type": "string",
            "enum": [
              "pending",
              "delivered",
              "dead"
            ]
          },
          "attempts": {
            "type": "integer",
            "minimum": 0,
            "maximum": 2147483647
          },
          "count": {
            "type": "integer",
            "minimum": 1,
            "maximum": 2147483647,
            "description": "How many identical events this one message stands for"
          },
          "lastError": {
            "type": [
              "string",
              "null"
            ]
          },
          "lastStatusCode": {
            "type": [
              "integer",
              "null"
            ],
            "minimum": 100,
            "maximum": 599
          },
          "createdAt": {
            "type": "string",
            "format": "date-time"
          },
          "deliveredAt": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "nextAttemptAt": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          }
        }
      },
      "DeliveryList": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "items",
          "nextCursor"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Delivery"
            }
          },
          "nextCursor": {
            "type": [
              "string",
              "null"
            ]
          }
        }
      },
      "Subscription": {
        "type": "object",
        "description": "Routes events to a channel; an empty list matches every event type or environment",
        "additionalProperties": false,
        "required": [
          "id",
          "channel",
          "eventTypes",
          "environments",
          "createdAt",
          "createdBy"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "channel": {
            "$ref": "#/components/schemas/ChannelName"
          },
          "eventTypes": {
            "type": "array",
            "maxItems": 20,
            "items": {
              "$ref": "#/components/schemas/EventType"
            }
          },
          "environments": {
            "type": "array",
            "maxItems": 50,
            "items": {
              "$ref": "#/components/schemas/EnvironmentName"
            }
          },
          "createdAt": {
            "type": "string",
            "format": "date-time"
          },
          "createdBy": {
            "type": "string"
          }
        }
      },
      "SubscriptionList": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "items"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Subscription"
            }
          }
        }
      },
      "CreateSubscriptionRequest": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "channel"
        ],
        "properties": {
          "channel": {
            "$ref": "#/components/schemas/ChannelName"
          },
          "eventTypes": {
            "type": "array",
            "maxItems": 20,
            "uniqueItems": true,
            "items": {
              "$ref": "#/components/schemas/EventType"
            }
          },
          "environments": {
            "type": "array",
            "maxItems": 50,
            "uniqueItems": true,
            "items": {
              "$ref": "#/components/schemas/EnvironmentName"
            }
          }
        }
      },
      "Job": {
        "type": "object",
        "description": "A scheduled job's state, shared by every replica (one runs it at a time)",
        "additionalProperties": false,
        "required": [
          "name",
          "schedule",
          "nextRunAt",
          "lastStartedAt",
          "lastFinishedAt",
          "lastStatus",
          "lastError",
          "runCount",
          "leaseOwner",
          "leasedUntil"
        ],
        "properties": {
          "name": {
            "type": "string"
          },
          "schedule": {
            "type": "string",
            "description": "As written for people, e.g. \"every 60000ms\" or \"daily 06:00 UTC\""
          },
          "nextRunAt": {
            "type": "string",
            "format": "date-time"
          },
          "lastStartedAt": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "lastFinishedAt": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "lastStatus": {
            "type": [
              "string",
              "null"
            ],
            "enum": [
              "ok",
              "error",
              null
            ]
          },
          "lastError": {
            "type": [
              "string",
              "null"
            ]
          },
          "runCount": {
            "type": "integer",
            "minimum": 0,
            "maximum": 9007199254740991
          },
          "leaseOwner": {
            "type": [
              "string",
              "null"
            ],
            "description": "The replica running it now, if any"
          },
          "leasedUntil": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          }
        }
      },
      "JobList": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "items"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Job"
            }
          }
        }
      }
    }
  }
} as const;

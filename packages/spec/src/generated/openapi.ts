// Generated from openapi.yaml by scripts/generate.mjs. Do not edit; run `pnpm --filter @keyward/spec generate`.
export const openapiDocument = {
  "openapi": "3.1.0",
  "info": {
    "title": "Keyward admin API",
    "version": "0.1.0",
    "description": "Manage secrets, approve service tokens and access requests. This API never returns a secret\nvalue: values go in (write-only) and come out only over gRPC to approved services.\n"
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
  "paths": {
    "/api/secrets": {
      "get": {
        "operationId": "listSecrets",
        "summary": "List secrets (metadata only, never values)",
        "parameters": [
          {
            "name": "after",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "Keyset cursor",
            "the last name of the previous page": null
          },
          {
            "name": "limit",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 500
            }
          },
          {
            "name": "status",
            "in": "query",
            "required": false,
            "schema": {
              "$ref": "#/components/schemas/SecretStatus"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "A page of secrets",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/SecretList"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/secrets/{name}/value": {
      "put": {
        "operationId": "setSecretValue",
        "summary": "Set a secret's value (write-only); creates a new version",
        "parameters": [
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "pattern": "^[A-Z][A-Z0-9_]{0,127}$"
            }
          }
        ],
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
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "409": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/service-tokens": {
      "get": {
        "operationId": "listServiceTokens",
        "summary": "List service tokens (never the token or its hash)",
        "parameters": [
          {
            "name": "status",
            "in": "query",
            "required": false,
            "schema": {
              "$ref": "#/components/schemas/TokenStatus"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "Service tokens",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ServiceTokenList"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/service-tokens/{id}/approve": {
      "post": {
        "operationId": "approveServiceToken",
        "summary": "Approve a pending service token",
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The approved token",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ServiceToken"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "409": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/access-requests": {
      "get": {
        "operationId": "listAccessRequests",
        "summary": "List access requests",
        "parameters": [
          {
            "name": "status",
            "in": "query",
            "required": false,
            "schema": {
              "$ref": "#/components/schemas/AccessStatus"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "Access requests",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AccessRequestList"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/access-requests/{id}/approve": {
      "post": {
        "operationId": "approveAccessRequest",
        "summary": "Grant a service access to a secret",
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ],
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
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          }
        }
      }
    },
    "/api/access-requests/{id}/deny": {
      "post": {
        "operationId": "denyAccessRequest",
        "summary": "Deny a service access to a secret",
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ],
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
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
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
        "description": "The bootstrap admin token printed on first start (kwa_…)"
      }
    },
    "responses": {
      "Problem": {
        "description": "An RFC 9457 problem",
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
      "SecretStatus": {
        "type": "string",
        "enum": [
          "stub",
          "active",
          "disabled"
        ]
      },
      "TokenStatus": {
        "type": "string",
        "enum": [
          "pending",
          "approved",
          "revoked"
        ]
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
      "Secret": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "id",
          "name",
          "description",
          "type",
          "status",
          "currentVersion",
          "rotationDays",
          "createdAt",
          "updatedAt"
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
            "type": "string"
          },
          "status": {
            "$ref": "#/components/schemas/SecretStatus"
          },
          "currentVersion": {
            "type": "integer"
          },
          "rotationDays": {
            "type": "integer"
          },
          "createdAt": {
            "type": "string",
            "format": "date-time"
          },
          "updatedAt": {
            "type": "string",
            "format": "date-time"
          }
        }
      },
      "SecretList": {
        "type": "object",
        "required": [
          "items"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Secret"
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
            "type": "integer",
            "minimum": 0
          }
        }
      },
      "SetValueResponse": {
        "type": "object",
        "required": [
          "name",
          "version"
        ],
        "properties": {
          "name": {
            "type": "string"
          },
          "version": {
            "type": "integer"
          }
        }
      },
      "ServiceToken": {
        "type": "object",
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
          "accessCount"
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
            "type": "integer"
          }
        }
      },
      "ServiceTokenList": {
        "type": "object",
        "required": [
          "items"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/ServiceToken"
            }
          }
        }
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
          "accessCount"
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
            "type": "integer"
          }
        }
      },
      "AccessRequestList": {
        "type": "object",
        "required": [
          "items"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/AccessRequest"
            }
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
            "type": "integer"
          },
          "detail": {
            "type": "string"
          },
          "field": {
            "type": "string"
          },
          "requestId": {
            "type": "string"
          }
        }
      }
    }
  }
} as const;

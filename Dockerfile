# syntax=docker/dockerfile:1
# Keyward service image: build the workspace in one stage, ship only the service's production
# dependencies in a slim, non-root runtime. Data (PGlite, master.key, audit.key) lives in a volume.

FROM node:20-slim AS build
WORKDIR /src
RUN corepack enable
# .dockerignore keeps node_modules, dist, data and keys out of the context.
COPY . .
RUN pnpm install --frozen-lockfile
RUN pnpm turbo run build --filter=@keyward/service... --output-logs=errors-only
# A self-contained copy of @keyward/service with its production dependencies (workspace packages included).
RUN pnpm --filter @keyward/service deploy --prod --legacy /app

FROM node:20-slim AS runtime
# Listens on every interface, so TLS is on for both listeners: the files live in the
# /etc/keyward/tls volume. `keyward-service certs --out /etc/keyward/tls --host NAME` makes
# development ones (docker-compose.yml does this in a one-shot service); mount your own CA's for
# production. Without them the service refuses to start, naming the missing file.
# A container's output is its log, even when run with a terminal (docker run -t): the first start's
# owner token goes to /var/lib/keyward/bootstrap-admin-token (mode 0600), never to the log.
ENV NODE_ENV=production \
    KEYWARD_DATA_DIR=/var/lib/keyward \
    KEYWARD_BOOTSTRAP_TOKEN_OUTPUT=file \
    KEYWARD_HOST=0.0.0.0 \
    KEYWARD_GRPC_PORT=50051 \
    KEYWARD_HTTP_PORT=8080 \
    KEYWARD_GRPC_TLS_CERT_FILE=/etc/keyward/tls/server.crt \
    KEYWARD_GRPC_TLS_KEY_FILE=/etc/keyward/tls/server.key \
    KEYWARD_HTTP_TLS_CERT_FILE=/etc/keyward/tls/server.crt \
    KEYWARD_HTTP_TLS_KEY_FILE=/etc/keyward/tls/server.key
RUN groupadd --system --gid 10001 keyward \
 && useradd --system --uid 10001 --gid keyward --home-dir /var/lib/keyward --shell /usr/sbin/nologin keyward \
 && mkdir -p /var/lib/keyward /etc/keyward/tls \
 && chown keyward:keyward /var/lib/keyward /etc/keyward/tls \
 && chmod 700 /var/lib/keyward /etc/keyward/tls
COPY --from=build --chown=root:root /app /app
WORKDIR /app
USER keyward
VOLUME ["/var/lib/keyward", "/etc/keyward/tls"]
EXPOSE 50051 8080
# Ready means the database answers (the admin server's /readyz), over HTTPS when it is on. The probe
# runs on loopback and sends nothing secret, so it does not verify the certificate (as Kubernetes'
# HTTPS probes do not): the operator's certificate need not name 127.0.0.1.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "require(process.env.KEYWARD_HTTP_TLS_CERT_FILE ? 'node:https' : 'node:http').get({ host: '127.0.0.1', port: process.env.KEYWARD_HTTP_PORT || 8080, path: '/readyz', rejectUnauthorized: false }, (r) => process.exit(r.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(1))"]
# keyward-service drains gRPC and HTTP on SIGTERM; give it the time to (see docker-compose.yml).
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "/app/bin/keyward-service.mjs"]
CMD ["start"]

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
ENV NODE_ENV=production \
    KEYWARD_DATA_DIR=/var/lib/keyward \
    KEYWARD_HOST=0.0.0.0 \
    KEYWARD_GRPC_PORT=50051 \
    KEYWARD_HTTP_PORT=8080
RUN groupadd --system --gid 10001 keyward \
 && useradd --system --uid 10001 --gid keyward --home-dir /var/lib/keyward --shell /usr/sbin/nologin keyward \
 && mkdir -p /var/lib/keyward \
 && chown keyward:keyward /var/lib/keyward \
 && chmod 700 /var/lib/keyward
COPY --from=build --chown=root:root /app /app
WORKDIR /app
USER keyward
VOLUME ["/var/lib/keyward"]
EXPOSE 50051 8080
# Ready means the database answers (the admin server's /readyz).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.KEYWARD_HTTP_PORT || 8080) + '/readyz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# keyward-service drains gRPC and HTTP on SIGTERM; give it the time to (see docker-compose.yml).
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "/app/bin/keyward-service.mjs"]
CMD ["start"]

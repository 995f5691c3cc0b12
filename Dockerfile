# Cimiento as containers, one process each (compose.yaml runs them): PostgreSQL with the
# extension (target `db`), PgBouncer (`pooler`), PostgREST (`postgrest`) and the api (`api`).
#
# Every stage uses the scripts the README's commands use: the build stage runs
# scripts/install.sh and `make build` exactly as on a Debian machine; the runtime stages
# install with `CIMIENTO_INSTALL_PROFILE=runtime scripts/install.sh` (no compilers) and start
# with `scripts/stack.sh service <name>`, the same functions `make up` runs. No Docker engine
# runs on the machines this project is developed on; CI checks this file's stages call those
# scripts (tests/e2e/operations.rs) and validates compose.yaml with `docker-compose config`.
#
# No secret is baked in: passwords arrive as files (compose secrets, *_FILE variables) or
# environment variables at run time; signing keys are generated into the state volume.
#
#   docker build --target db -t cimiento-db .      (likewise pooler, postgrest, api)
#   docker compose up

# ---- build: the api, the extension and PostgREST, with the full toolchain --------------
FROM debian:bookworm AS build
ENV DEBIAN_FRONTEND=noninteractive RUSTUP_HOME=/usr/local/rustup CARGO_HOME=/root/.cargo PATH=/root/.cargo/bin:$PATH
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends ca-certificates curl build-essential make git \
 && curl -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal --default-toolchain 1.95.0 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/cimiento
COPY . .
RUN bash scripts/install.sh && make build \
 && mkdir -p /out/lib /out/extension \
 && cp /usr/lib/postgresql/15/lib/cimiento.so /out/lib/ \
 && cp /usr/share/postgresql/15/extension/cimiento* /out/extension/

# ---- runtime: Debian's packages only, the project's scripts and SQL, a non-root user ---
FROM debian:bookworm-slim AS runtime
ENV DEBIAN_FRONTEND=noninteractive
WORKDIR /opt/cimiento
COPY scripts/ scripts/
RUN CIMIENTO_INSTALL_PROFILE=runtime bash scripts/install.sh && rm -rf /var/lib/apt/lists/*
COPY --from=build /opt/cimiento/target/release/cimiento-api /opt/cimiento/target/release/cimiento-api
ENV CIMIENTO_STATE_DIR=/var/lib/cimiento \
    CIMIENTO_SKIP_BUILD=1 \
    CIMIENTO_LISTEN_HOST=0.0.0.0 \
    CIMIENTO_DB_HOST=db \
    CIMIENTO_POOLER_HOST=pooler \
    CIMIENTO_POSTGREST_HOST=postgrest \
    CIMIENTO_PG_PORT=5432 \
    CIMIENTO_POOLER_PORT=6432 \
    CIMIENTO_POSTGREST_PORT=3000 \
    CIMIENTO_API_PORT=8080
VOLUME ["/var/lib/cimiento"]
ENTRYPOINT ["bash", "scripts/stack.sh", "service"]

# PostgreSQL 15 + cimiento + pg_cron + pgBackRest: bootstraps and migrates, then runs as `postgres`.
FROM runtime AS db
COPY --from=build /out/lib/ /usr/lib/postgresql/15/lib/
COPY --from=build /out/extension/ /usr/share/postgresql/15/extension/
COPY sql/ sql/
ENV CIMIENTO_DB_LISTEN=*
EXPOSE 5432
STOPSIGNAL SIGINT
CMD ["db"]

# PgBouncer in transaction mode (runs as cimiento-pool).
FROM runtime AS pooler
EXPOSE 6432
CMD ["pooler"]

# PostgREST (runs as cimiento-rest).
FROM runtime AS postgrest
COPY --from=build /opt/cimiento/.tools/bin/postgrest /opt/cimiento/.tools/bin/postgrest
EXPOSE 3000
CMD ["postgrest"]

# The api with its WeasyPrint workers (runs as cimiento-api).
FROM runtime AS api
EXPOSE 8080
CMD ["api"]

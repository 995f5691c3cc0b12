# Cimiento in one image: PostgreSQL 15 + the cimiento extension, PostgREST and the api.
#
# It is built from the same scripts the README's commands use (scripts/install.sh,
# scripts/stack.sh), so what `make run` does on a Debian machine is what the container
# does. No Docker engine runs on the machines this project is developed on, so this file
# is not built there: keeping it to those shared scripts is what keeps it honest.
#
#   docker build -t cimiento .
#   docker run --rm -p 3000:3000 -p 8080:8080 -v cimiento-state:/opt/cimiento/.cimiento cimiento
FROM debian:bookworm

ENV DEBIAN_FRONTEND=noninteractive \
    RUSTUP_HOME=/usr/local/rustup \
    CARGO_HOME=/root/.cargo \
    PATH=/root/.cargo/bin:$PATH

RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends ca-certificates curl build-essential make git \
 && curl -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal --default-toolchain 1.95.0 \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /opt/cimiento
COPY . .

# Same install step as `make install`; then build the api and install the extension.
RUN bash scripts/install.sh && make build

# PostgREST and the api listen on all interfaces inside the container; PostgreSQL stays
# on the container's loopback.
ENV CIMIENTO_LISTEN_HOST=0.0.0.0 \
    CIMIENTO_SKIP_BUILD=1
EXPOSE 3000 8080
VOLUME ["/opt/cimiento/.cimiento"]
STOPSIGNAL SIGINT
CMD ["bash", "scripts/stack.sh", "run"]

# Cimiento — the commands of the design's contract. Every target installs what is
# missing first (scripts/install.sh is idempotent and quiet when everything is there).
SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help install build run up down status psql test test-sql bench reset schema backup restore drill

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | column -t -s $$'\t'

install: ## install system packages, cargo-pgrx, PostgREST (idempotent)
	@bash scripts/install.sh

build: install ## build the api and install the extension into PostgreSQL 15
	@cargo build --release -p cimiento-api
	@bash scripts/pgrx.sh install --release --pg-config /usr/lib/postgresql/15/bin/pg_config

run: install ## start everything in the foreground with demo data; Ctrl-C stops it
	@bash scripts/stack.sh run

up: install ## start everything in the background; returns when healthy
	@bash scripts/stack.sh up

down: ## stop everything `up`/`run` started
	@bash scripts/stack.sh down

status: ## what is running
	@bash scripts/stack.sh status

psql: ## psql into the running database as the migration owner
	@bash scripts/stack.sh psql

test: install ## every test tier: unit, extension, pgTAP, end-to-end
	@bash scripts/test.sh

test-sql: install ## only the pgTAP tier
	@bash scripts/test-sql.sh

schema: install ## rewrite sql/schema.sql (pg_dump --schema-only of a fresh migration; CI checks it)
	@bash scripts/schema.sh write

bench: install ## the benchmarks, as ratios measured side by side
	@bash scripts/bench.sh

backup: ## pgBackRest backup of the running database (TYPE=full|diff|incr, default diff; the first is full)
	@bash scripts/stack.sh backup $(or $(TYPE),diff)

restore: ## point-in-time recovery in place: make restore AT='YYYY-MM-DD HH:MM:SS[+TZ]' (verifies audit and numbering)
	@test -n "$(AT)" || { echo "usage: make restore AT='YYYY-MM-DD HH:MM:SS'"; exit 2; }
	@bash scripts/stack.sh restore "$(AT)"

drill: ## restore the backups into a scratch cluster (AT= optional), verify, report, delete; the live one is untouched
	@bash scripts/stack.sh drill "$(AT)"

reset: ## stop and delete the local database (keys and secrets are kept)
	@bash scripts/stack.sh reset

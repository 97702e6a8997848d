"""A small bookshop in layers: cli, api, services, db, utils (docs/architecture-rules.md)."""

"""Loading a spec: YAML/TOML with source positions, sandboxed templates, the resolved model."""

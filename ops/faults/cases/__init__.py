"""The cases of the fault suite, one module each, in the order they run (docs/reliability.md)."""

"""The limits one sandboxed child runs under (a module of its own so the grading process can
compute them without importing the sandbox, and numpy with it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Per-child limits: wall seconds per call and for the import, CPU seconds for the child's
    life, address space in MB."""

    call_timeout_s: float = 5.0
    start_timeout_s: float = 20.0
    cpu_s: int = 120
    memory_mb: int = 2048


def cap_address_space(limit_bytes: int) -> None:
    """Lower this process's RLIMIT_AS to ``limit_bytes`` (never raise it); a no-op where the
    platform has no such limit (macOS refuses it)."""
    import resource

    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if soft == resource.RLIM_INFINITY or soft > limit_bytes:
            resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, hard))
    except (ValueError, OSError):
        pass

"""The rule that CI never skips for a missing tool (the isolated var/ is set by bouquet.pytest_plugin)."""

import os
import shutil

import pytest


def require_tool(name: str) -> str:
    """Path of a system tool; skip without it, except in CI (BOUQUET_REQUIRE_TOOLS=1) where it fails."""
    path = shutil.which(name) or next(
        (p for p in (f"/usr/sbin/{name}", f"/usr/bin/{name}") if os.path.exists(p)), None
    )
    if path:
        return path
    if os.environ.get("BOUQUET_REQUIRE_TOOLS") == "1":
        pytest.fail(f"{name} is required in CI but is not installed")
    pytest.skip(f"{name} is not installed")

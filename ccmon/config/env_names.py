"""The names of ccmon's environment variables: ``CCMON_<SECTION>_<KEY>``, in one place.

The loader reads them, and every message that tells the user to set one (doctor, a
missing token) names it through :func:`env_name`, so the two cannot drift apart.
"""

from __future__ import annotations

ENV_PREFIX = "CCMON_"


def env_prefix(section: str) -> str:
    """``CCMON_CCAI_``: what every variable of ``section`` starts with."""
    return f"{ENV_PREFIX}{section.upper()}_"


def env_name(section: str, key: str) -> str:
    """``CCMON_CCAI_BASE_URL`` for ``ccai.base_url``."""
    return f"{env_prefix(section)}{key.upper()}"

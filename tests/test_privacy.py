"""PII masking keeps contacts distinguishable and personal data hidden."""

from __future__ import annotations

import pytest

from ccmon.privacy import mask


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("+1 (212) 867-5309", "+1 ••• ••• 5309"),
        ("+12128675309", "+1 ••• ••• 5309"),
        ("0612345678", "••• ••• 5678"),
        ("jane.doe@example.com", "j•••@example.com"),
        ("Death Star Carpentry Union", "D••• S••• C••• U•••"),
        ("Zoë", "Z•••"),
    ],
)
def test_masks(raw: str, masked: str) -> None:
    assert mask(raw) == masked


def test_none_stays_none() -> None:
    assert mask(None) is None

"""``--mask-pii`` for snapshots: customer numbers, e-mails and names masked in every format."""

from __future__ import annotations

import dataclasses

from ccmon.domain import Collection, Interaction, Record
from ccmon.privacy import mask
from ccmon.snapshot.collect import Snapshot


def masked_record(record: Record) -> Record:
    """``record`` with its personal data masked (only interactions carry any)."""
    if isinstance(record, Interaction) and record.customer is not None:
        return dataclasses.replace(record, customer=mask(record.customer))
    return record


def mask_pii(snapshot: Snapshot) -> Snapshot:
    """The same snapshot with every interaction's ``customer`` masked."""
    contacts = [masked_record(r) for r in snapshot.collections[Collection.INTERACTIONS]]
    collections = {**snapshot.collections, Collection.INTERACTIONS: contacts}
    return dataclasses.replace(snapshot, collections=collections)

"""The key ring that encrypts resident ID numbers, and its rotation.

Version 1 is derived from ``CANTEEN_SECRET_KEY`` (rows written before the ring existed stay
readable with nothing stored). Each rotation adds a random 32-byte key, sealed in the
``id_number_key`` table by a key derived from the same secret, and re-encrypts every diner's
number under it. The ring is read from the database at each use (one small query), so every
server process encrypts with the newest version as soon as a rotation commits, and a tag it
has not seen before is simply found there.

The last-four look-up key (``pii.LAST4_PURPOSE``) and the duplicate-finding key do not rotate:
they are hashes compared for equality, so rotating them would mean recomputing from every
clear number, and a leak of either gives no number back (they only confirm a guess).
"""

import os
from collections.abc import Callable
from dataclasses import dataclass

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.functions import Max
from tortoise.transactions import in_transaction

from canteen import clock
from canteen.columns import values_of
from canteen.config import derive_key
from canteen.diners import pii
from canteen.diners.models import Diner, IdNumberKey

BATCH = 500
"""Rows re-encrypted per transaction: a rotation never holds a long write lock."""


@dataclass(frozen=True)
class KeyRing:
    keys: dict[int, bytes]

    @property
    def current(self) -> int:
        return max(self.keys)

    def seal(self, number: str, diner_id: int) -> str:
        """The number encrypted under the newest key, bound to the diner's row."""
        return pii.encrypt(number, self.keys[self.current], self.current, diner_id)

    def open(self, cipher: str, diner_id: int) -> str:
        version = pii.version_of(cipher)
        if version not in self.keys:
            raise ValueError(f"cipher key version {version} is not in the key ring")
        return pii.decrypt(cipher, self.keys[version], diner_id)


async def key_ring() -> KeyRing:
    """Version 1 (derived) and every stored version, unwrapped."""
    wrapping = derive_key(pii.WRAP_PURPOSE)
    keys = {1: derive_key(pii.ENCRYPT_PURPOSE)}
    for stored in await IdNumberKey.all():
        keys[stored.version] = pii.unwrap(stored.wrapped, wrapping, stored.version)
    return KeyRing(keys)


@dataclass(frozen=True)
class Rotation:
    version: int
    re_encrypted: int


async def rotate(progress: Callable[[int], None] | None = None) -> Rotation:
    """Add a new key version, then move every diner's number to the newest version in batches.

    The new version commits first, so numbers enrolled meanwhile are sealed under it; the
    batches then re-read until no row names an older tag. Each row is rewritten only if its
    cipher text is still the one read (a conditional update), never blindly. The ring is read
    again for every batch: when two rotations overlap, both move the rows to the newest
    version, so they converge instead of sealing the same rows back and forth.
    """
    version = await _add_version()
    done = 0
    while True:
        ring = await key_ring()
        batch = (
            await Diner.filter(~Q(id_number_cipher__startswith=f"v{ring.current}."))
            .order_by("id")
            .limit(BATCH)
            .values_list("id", "id_number_cipher")
        )
        if not batch:
            return Rotation(version, done)
        async with in_transaction():
            for diner_id, cipher in batch:
                sealed = ring.seal(ring.open(cipher, diner_id), diner_id)
                done += await Diner.filter(id=diner_id, id_number_cipher=cipher).update(
                    id_number_cipher=sealed
                )
        if progress is not None:
            progress(done)


async def _add_version() -> int:
    """Store a new random key one version above the newest; a version taken by a rotation
    running at the same moment makes this one take the next."""
    while True:
        newest = await values_of(IdNumberKey.annotate(top=Max("version")), "top")
        version = max(newest[0] or 1, 1) + 1
        wrapped = pii.wrap(os.urandom(32), derive_key(pii.WRAP_PURPOSE), version)
        try:
            async with in_transaction():
                await IdNumberKey.create(version=version, wrapped=wrapped, created_at=clock.now())
            return version
        except IntegrityError:
            continue


async def status() -> dict[str, int]:
    """How many diners' numbers each key version seals (``v1``: 12, ``v2``: 3400)."""
    counts: dict[str, int] = {f"v{v}": 0 for v in (await key_ring()).keys}
    for cipher in await values_of(Diner.all(), "id_number_cipher"):
        tag = str(cipher).partition(".")[0]
        counts[tag] = counts.get(tag, 0) + 1
    return counts

"""Name pools for a believable, diverse floor and its callers."""

from __future__ import annotations

import random
import unicodedata

FIRST_NAMES: tuple[str, ...] = (
    "Maria", "James", "Aisha", "Wei", "Sofia", "Mateo", "Priya", "Liam", "Fatima", "Noah",
    "Yuki", "Olivia", "Kwame", "Emma", "Diego", "Chloé", "Arjun", "Hannah", "Omar", "Grace",
    "Lucas", "Mei", "Amara", "Ethan", "Zara", "Mohammed", "Isabella", "Kenji", "Nadia", "Samuel",
    "Leila", "Daniel", "Ana", "Tomás", "Ingrid", "Rahul", "Chiara", "Kofi", "Elena", "Hiroshi",
    "Sara", "Javier", "Nia", "Benjamin", "Lin", "Oluwaseun", "Freya", "Carlos", "Imani", "Jakub",
    "Ayesha", "Marcus", "Sana", "Felipe", "Astrid", "Tariq", "Lucía", "Andrei", "Thandiwe", "Noor",
    "Patrick", "Ximena", "Dmitri", "Abena", "Ravi", "Camille", "Joon", "Esther", "Bilal", "Rosa",
    "Niamh", "Tuan", "Keisha", "Matteo", "Ama", "Sven", "Valentina", "Hamza", "Mia", "Raúl",
    "Adaeze", "Ibrahim", "Siobhan", "Hana", "Luca", "Yara", "Emeka", "Julia", "Kai", "Beatriz",
    "Anil", "Chen", "Zainab", "Oscar", "Malia", "Ngozi", "Stefan", "Lola", "Arash", "Eun-ji",
)  # fmt: skip

LAST_NAMES: tuple[str, ...] = (
    "Garcia", "Okafor", "Chen", "Nguyen", "Kowalski", "Patel", "Rossi", "Müller", "Haddad",
    "Silva", "Tanaka", "O'Brien", "Mensah", "Johansson", "Kim", "Hernández", "Ivanova", "Singh",
    "Dubois", "Adeyemi", "Novak", "Rahman", "Fernández", "Schmidt", "Sato", "Mwangi", "Kaur",
    "Moreau", "Popescu", "Nakamura", "Oyelaran", "Lindqvist", "Castillo", "Yilmaz", "Ahmed",
    "Bianchi", "Park", "Osei", "Walsh", "Ramírez", "Kovač", "Suzuki", "Achebe", "Jensen", "Khan",
    "Morales", "Costa", "Wójcik", "Le", "Abara", "Petrov", "Cohen", "Mahlangu", "Lopez", "Quinn",
    "Reyes", "Farouk", "Bergström", "Das", "Ferrari", "Mendoza", "Yamamoto", "Eze", "Fischer",
    "Gonzaga", "Tran", "Hussain", "Olsen", "Banda", "Romero", "Zhang", "Kariuki", "Murphy",
    "Alvarez", "Iyer", "Nowak", "Asante", "Wang", "Delgado", "Sokolov", "Obi", "Larsen", "Liu",
    "Navarro", "Chowdhury", "Leclerc", "Ito", "Nkosi", "Byrne", "Santos", "Akhtar", "Vargas",
    "Horvat", "Otieno", "Ward", "Vu", "Begum", "Torres", "Koch", "Ansah",
)  # fmt: skip

LOCATIONS: tuple[str | None, ...] = (
    "Austin, TX", "Manila", "Dublin", "Remote", "Kraków", "Nairobi", "Bogotá", "Toronto",
    "Cape Town", "Lisbon", None,
)  # fmt: skip

COMPANIES: tuple[str, ...] = (
    "Northwind Retail", "Blue Harbor Insurance", "Copperleaf Energy", "Sunrise Dental Group",
    "Atlas Freight", "Greenfield Realty", "Orchid Travel", "Summit Credit Union",
)  # fmt: skip


def email_for(first: str, last: str, domain: str) -> str:
    """``first.last@domain`` folded to ASCII, as mail systems usually store it."""
    local = f"{first}.{last}".casefold().replace("'", "").replace(" ", "")
    ascii_local = unicodedata.normalize("NFKD", local).encode("ascii", "ignore").decode()
    return f"{ascii_local}@{domain}"


class PersonNames:
    """Hands out distinct (first, last) pairs drawn from the pools.

    Pairs are unique up to len(FIRST_NAMES) * len(LAST_NAMES); past that a
    numeric suffix on the last name keeps them distinct.
    """

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used: set[tuple[str, str]] = set()

    def draw(self) -> tuple[str, str]:
        capacity = len(FIRST_NAMES) * len(LAST_NAMES)
        for _ in range(50):
            pair = (self._rng.choice(FIRST_NAMES), self._rng.choice(LAST_NAMES))
            if pair not in self._used:
                self._used.add(pair)
                return pair
        first, last = self._rng.choice(FIRST_NAMES), self._rng.choice(LAST_NAMES)
        suffix = len(self._used) // capacity + 2
        pair = (first, f"{last} {suffix}")
        while pair in self._used:
            suffix += 1
            pair = (first, f"{last} {suffix}")
        self._used.add(pair)
        return pair

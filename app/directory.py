"""Reading the state's public district and school directory (districts.csv, schools.csv)."""
import csv
from dataclasses import dataclass
from pathlib import Path

from app.districts.models import GRADES


@dataclass(frozen=True)
class DirectoryDistrict:
    directory_id: int
    name: str
    kind: str
    city: str
    pupils: int | None


@dataclass(frozen=True)
class DirectorySchool:
    directory_id: int
    district_directory_id: int
    name: str
    kind: str
    city: str

    @property
    def code(self) -> str:
        return f"{self.directory_id:08d}"

    @property
    def grade_span(self) -> str:
        """The directory has no grades: infer a plausible span from the school's name."""
        name = self.name.lower()
        for words, span in SPANS_BY_NAME:
            if any(word in name for word in words):
                return span
        return "K-8" if "charter" in self.kind.lower() else "K-5"


SPANS_BY_NAME = (
    (("early", "preschool", "pre-k", "kindergarten"), "PK-K"),
    (("high", "academy", "technical", "vocational"), "9-12"),
    (("middle", "junior"), "6-8"),
    (("intermediate",), "3-5"),
    (("elementary", "primary", "community"), "K-5"),
)
assert all(low in GRADES and high in GRADES for _, span in SPANS_BY_NAME for low, high in [span.split("-")])


def read_districts(folder: Path) -> list[DirectoryDistrict]:
    with open(Path(folder) / "districts.csv", newline="", encoding="utf-8") as file:
        return [
            DirectoryDistrict(
                directory_id=int(row["source_id"]),
                name=row["name"].strip(),
                kind=row["type"].strip(),
                city=row["city"].strip(),
                pupils=int(row["pupils"]) if row["pupils"] else None,
            )
            for row in csv.DictReader(file)
        ]


def read_schools(folder: Path) -> list[DirectorySchool]:
    with open(Path(folder) / "schools.csv", newline="", encoding="utf-8") as file:
        return [
            DirectorySchool(
                directory_id=int(row["source_id"]),
                district_directory_id=int(row["district_source_id"]),
                name=row["name"].strip(),
                kind=row["type"].strip(),
                city=row["city"].strip(),
            )
            for row in csv.DictReader(file)
        ]

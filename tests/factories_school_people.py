"""The test world's school people: principals and assistant principals, school clusters with supervisors."""


def add_school_people(world) -> None:
    """Add to `world` its schools' leaders and clusters (filled by the people and clusters feature)."""

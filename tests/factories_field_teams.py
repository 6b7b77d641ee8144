"""The test world's field work by the district's own staff: visits a school supervisor logged, joint visits."""


def add_district_field_work(world) -> None:
    """Add to `world` what the district staff's field work needs (filled by the visits feature)."""

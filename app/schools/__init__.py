"""The school page: a school at a glance, from every feature that reaches its schools (field work, supports, plans)."""

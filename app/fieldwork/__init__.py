"""Field work: support assignments, school visits, classroom observations, the caseload."""

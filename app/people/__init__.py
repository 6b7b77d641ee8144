"""The district's school people: school leaders, clusters, a principal's page, a supervisor's cluster."""

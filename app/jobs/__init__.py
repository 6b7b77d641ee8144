"""Failed background jobs, for platform admins: their error and a retry button."""

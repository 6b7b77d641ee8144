"""Mail from scheduled jobs: follow-up reminders, "status report ready", the weekly digest; each person's opt-outs."""

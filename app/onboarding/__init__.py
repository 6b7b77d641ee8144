"""Onboarding: new districts, their schools and people from files, the state directory, archiving."""

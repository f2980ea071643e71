"""Residents' business at the center: applications, identity checks, progress, SMS, claims."""

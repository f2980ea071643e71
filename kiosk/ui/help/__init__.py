"""Help: the hotline, the service hall and its hours (the video call will live here)."""

"""The parts of the resident's window, each with one job: navigation, the session clock, the
language and text size, device routing, the center's lock, and the bars around the screens."""

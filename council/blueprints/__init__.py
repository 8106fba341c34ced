"""Blueprints: one per area of the council's work. Views parse input, call a service, render."""

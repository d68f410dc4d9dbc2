"""The annual assessment of an appointment: performance plus the disabled persons' evaluation."""

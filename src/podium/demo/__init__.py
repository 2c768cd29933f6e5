"""`podium demo`: a deterministic demo conference to explore Podium with."""

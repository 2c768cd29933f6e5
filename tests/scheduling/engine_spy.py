"""A spy on the scheduling engine for tests of the code that calls it."""


def engine_weights(monkeypatch, module) -> list[dict]:
    """The weights of every instance `module.solve` receives from now on (the engine still solves each)."""
    received = []
    real_solve = module.solve

    def recording(instance, **kwargs):
        received.append(dict(instance.weights))
        return real_solve(instance, **kwargs)

    monkeypatch.setattr(module, "solve", recording)
    return received

"""The monthly processes, one module per institution or process, each a ``step(m)`` over the
families' arrays (the order is :meth:`sim.engine.model.HousingModel.step`'s)."""

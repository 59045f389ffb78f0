"""Chat platforms behind one seam (base.Platform), listed in registry.PLATFORMS."""

"""Programme management for staff: productions, performances, halls and their seat maps."""

"""Menus, meals ordered ahead, and meals brought home (送餐上门)."""

"""sponsors"""

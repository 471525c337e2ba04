"""talent"""

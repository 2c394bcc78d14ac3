"""dreamverse.safety"""

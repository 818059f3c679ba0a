# route

print("feddata")

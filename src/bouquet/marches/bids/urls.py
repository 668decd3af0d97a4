app_name = "marches_bids"

urlpatterns: list = []

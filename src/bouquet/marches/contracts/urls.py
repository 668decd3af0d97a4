app_name = "marches_contracts"

urlpatterns: list = []

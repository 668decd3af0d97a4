app_name = "helios"

urlpatterns: list = []

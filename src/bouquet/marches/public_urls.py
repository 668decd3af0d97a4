app_name = "marches_public"

urlpatterns: list = []

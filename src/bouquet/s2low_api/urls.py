app_name = "s2low_api"
urlpatterns = []

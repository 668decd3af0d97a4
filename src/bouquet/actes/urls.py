app_name = "actes"
urlpatterns = []

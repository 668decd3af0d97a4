app_name = "pki"
urlpatterns = []

# Builds the TIBS.Cases web application (which also runs the background jobs).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig TIBS.Cases.sln ./
COPY db/ db/
COPY workflows/ workflows/
COPY src/ src/
RUN dotnet publish src/TIBS.Cases.Web/TIBS.Cases.Web.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
# Attachments (and, without SMTP, mail files) are kept here, outside the web root; mount a volume on it.
RUN mkdir -p /app/data && chown "$APP_UID" /app/data
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_ENVIRONMENT=Production \
    Database__DataDirectory=/app/data
EXPOSE 8080
VOLUME /app/data
USER $APP_UID
ENTRYPOINT ["dotnet", "TIBS.Cases.Web.dll"]

# Build: the shaded jar, with dependencies cached in their own layer.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY conf conf
COPY src src
RUN mvn -B -q -DskipTests package

# Run: just the JRE, the jar and the default configuration.
FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 cowrie
WORKDIR /app
COPY --from=build /src/target/cowrie.jar /app/cowrie.jar
COPY conf /app/conf
USER cowrie
ENV COWRIE_HTTP_HOST=0.0.0.0
EXPOSE 8080
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/cowrie.jar"]

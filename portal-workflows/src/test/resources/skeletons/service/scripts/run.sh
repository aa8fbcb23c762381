#!/bin/sh
exec java -jar "$HOME/app.jar" "${@}"

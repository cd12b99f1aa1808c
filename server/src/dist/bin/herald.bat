@echo off
rem Herald MQTT broker (Windows). The same commands and options as bin/herald:
rem   bin\herald [--port N] [--bind ADDRESS] [--admin-port N] [--config FILE]
rem   bin\herald check-config [FILE] ^| passwd FILE USER ^| export/import [--data DIR] ... ^| version
rem Environment: JAVA_HOME (else java on the PATH), HERALD_HEAP (default 512m, at least 32m), HERALD_CONF, JAVA_OPTS.
setlocal
set "HERALD_HOME=%~dp0.."
if defined JAVA_HOME (
  set "JAVA=%JAVA_HOME%\bin\java.exe"
) else (
  set "JAVA=java"
)
if not defined HERALD_HEAP set "HERALD_HEAP=512m"
if not defined HERALD_CONF set "HERALD_CONF=%HERALD_HOME%\conf\herald.conf"

set "SPEC="
for /f "tokens=2 delims==" %%v in ('call "%JAVA%" -XshowSettings:properties -version 2^>^&1 ^| findstr /c:"java.specification.version"') do set "SPEC=%%v"
if not defined SPEC (
  echo herald: no Java found: set JAVA_HOME or put Java 17 or newer on the PATH 1>&2
  exit /b 1
)
set "SPEC=%SPEC: =%"
set "MAJOR=%SPEC%"
if "%SPEC:~0,2%"=="1." set "MAJOR=%SPEC:~2%"
if %MAJOR% LSS 17 (
  rem no java path in this message: parentheses in it would end the block
  echo herald: found Java %SPEC%, but Herald needs Java 17 or newer: set JAVA_HOME 1>&2
  exit /b 1
)
set "JVM_OPTS=-XX:+UseG1GC -Xms32m -Xmx%HERALD_HEAP% -XX:+ExitOnOutOfMemoryError"
if %MAJOR% GEQ 24 set "JVM_OPTS=%JVM_OPTS% --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
set "MAIN=-cp "%HERALD_HOME%\lib\*" dev.herald.server.HeraldServer"
set "LOGBACK=-Dlogback.configurationFile=%HERALD_HOME%\conf\logback.xml"
set "HOME_PROP=-Dherald.home=%HERALD_HOME%"

if "%~1"=="passwd" goto subcommand
if "%~1"=="export" goto subcommand
if "%~1"=="import" goto subcommand
if "%~1"=="version" goto subcommand
if "%~1"=="--version" goto subcommand
if "%~1"=="--help" goto subcommand
if "%~1"=="check-config" if "%~2"=="" goto checkdefault
if "%~1"=="check-config" goto subcommand

"%JAVA%" %JVM_OPTS% "%LOGBACK%" "%HOME_PROP%" %JAVA_OPTS% %MAIN% --config "%HERALD_CONF%" %*
exit /b %ERRORLEVEL%

:checkdefault
"%JAVA%" %JVM_OPTS% "%LOGBACK%" "%HOME_PROP%" %JAVA_OPTS% %MAIN% check-config "%HERALD_CONF%"
exit /b %ERRORLEVEL%

:subcommand
"%JAVA%" %JVM_OPTS% "%LOGBACK%" "%HOME_PROP%" %JAVA_OPTS% %MAIN% %*
exit /b %ERRORLEVEL%

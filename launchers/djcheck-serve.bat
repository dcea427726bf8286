@echo off
rem djcheck serve: double-click to check report drafts in your browser (see docs/serve.md).
rem The page opens by itself; close this window (or use the page's exit button) to stop.
chcp 65001 >nul
set "DJCHECK=python -m djcheck"
where py >nul 2>nul && set "DJCHECK=py -m djcheck"
where djcheck >nul 2>nul && set "DJCHECK=djcheck"
%DJCHECK% serve %*
rem Keep the window open when djcheck could not start (1-129), so the message can be read.
if errorlevel 1 if not errorlevel 130 pause

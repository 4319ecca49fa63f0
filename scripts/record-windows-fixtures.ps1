<#
.SYNOPSIS
  Re-records test/fixtures/windows from a real Windows machine (Windows PowerShell 5.1, elevated prompt).

.DESCRIPTION
  Starts a console Apache from -Httpd, records its process table (Get-CimInstance Win32_Process, with the
  conhost.exe a console process gets), the service manager's outputs (sc queryex, sc qc, net stop/start
  of -Service, which must exist: httpd -k install), and the failures wsgictl classifies: a restart event
  that does not exist, access denied from a non-elevated token (net.exe, .NET Framework), no such service.
  Every output is written as the raw bytes the command produced (console code page), plus chcp's answer,
  so that the tests decode them exactly as wsgictl does. Review the diff before committing: pids differ.

.EXAMPLE
  powershell -NoProfile -ExecutionPolicy Bypass -File scripts\record-windows-fixtures.ps1 -Httpd C:\Apache24\bin\httpd.exe
#>
param(
  [Parameter(Mandatory = $true)][string]$Httpd,
  [string]$Service = 'Apache2.4',
  [string]$Out = (Join-Path $PSScriptRoot '..\test\fixtures\windows\recorded')
)
$ErrorActionPreference = 'Stop'
New-Item -ItemType Directory -Force -Path $Out | Out-Null

# Runs a program and keeps its exit code and its raw output bytes (no PowerShell re-encoding).
function Save-Output([string]$Name, [string]$File, [string[]]$Arguments) {
  $info = New-Object System.Diagnostics.ProcessStartInfo
  $info.FileName = $File
  $info.Arguments = ($Arguments | ForEach-Object { if ($_ -match '\s') { '"' + $_ + '"' } else { $_ } }) -join ' '
  $info.UseShellExecute = $false
  $info.RedirectStandardOutput = $true
  $info.RedirectStandardError = $true
  $info.StandardOutputEncoding = [System.Text.Encoding]::GetEncoding(28591) # bytes 1:1
  $info.StandardErrorEncoding = [System.Text.Encoding]::GetEncoding(28591)
  $p = [System.Diagnostics.Process]::Start($info)
  $stdout = $p.StandardOutput.ReadToEndAsync()
  $stderr = $p.StandardError.ReadToEnd()
  $p.WaitForExit()
  $latin1 = [System.Text.Encoding]::GetEncoding(28591)
  [System.IO.File]::WriteAllBytes((Join-Path $Out "$Name.stdout.bin"), $latin1.GetBytes($stdout.Result))
  [System.IO.File]::WriteAllBytes((Join-Path $Out "$Name.stderr.bin"), $latin1.GetBytes($stderr))
  Set-Content -Path (Join-Path $Out "$Name.exit.txt") -Value $p.ExitCode -Encoding ASCII
}

function Save-Processes([string]$Name, [string]$Filter) {
  Get-CimInstance -ClassName Win32_Process -Filter $Filter |
    Select-Object ProcessId, ParentProcessId, Name, ExecutablePath, CommandLine |
    ConvertTo-Json | Set-Content -Path (Join-Path $Out "$Name.json") -Encoding UTF8
}

# The restart event, set the way wsgictl does it (src/windows/event.ts), failure as `<type>: <message>`.
$eventScript = @'
param($name)
try {
  $e = [System.Threading.EventWaitHandle]::OpenExisting($name, [System.Security.AccessControl.EventWaitHandleRights]::Modify)
  [void]$e.Set(); $e.Close()
} catch {
  $x = $_.Exception; while ($x.InnerException) { $x = $x.InnerException }
  [Console]::Error.WriteLine($x.GetType().FullName + ': ' + $x.Message); exit 1
}
'@
$eventFile = Join-Path $env:TEMP 'wsgictl-set-event.ps1'
Set-Content -Path $eventFile -Value $eventScript -Encoding UTF8

Save-Output 'chcp' 'chcp.com' @()

# 1. A console Apache and its children (httpd.exe child, conhost.exe).
$root = Join-Path $env:TEMP ('wsgictl-record-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
New-Item -ItemType Directory -Path $root | Out-Null
$serverRoot = (Split-Path (Split-Path $Httpd)) -replace '\\', '/'
$conf = Join-Path $root 'httpd.conf'
@(
  "ServerRoot `"$serverRoot`"", 'Listen 127.0.0.1:18080', 'ServerName localhost',
  "PidFile `"$(($root -replace '\\', '/'))/httpd.pid`"", "ErrorLog `"$(($root -replace '\\', '/'))/error.log`"",
  "DocumentRoot `"$(($root -replace '\\', '/'))`"", 'ThreadsPerChild 4'
) | Set-Content -Path $conf -Encoding ASCII
$apache = Start-Process -FilePath $Httpd -ArgumentList @('-f', "`"$conf`"") -PassThru
try {
  for ($i = 0; $i -lt 100 -and -not (Get-CimInstance Win32_Process -Filter "ParentProcessId = $($apache.Id) AND Name = 'httpd.exe'"); $i++) {
    Start-Sleep -Milliseconds 200
  }
  Save-Processes 'win32-process-console-apache' "ProcessId = $($apache.Id) OR ParentProcessId = $($apache.Id)"
  Save-Processes 'win32-process-parent-console' "ProcessId = $($apache.Id)"
  Save-Output 'event-console-local' 'powershell.exe' @('-NoProfile', '-NonInteractive', '-File', $eventFile, "ap$($apache.Id)_restart")
  Save-Processes 'win32-process-console-apache-restarted' "ProcessId = $($apache.Id) OR ParentProcessId = $($apache.Id)"
} finally {
  Stop-Process -Id $apache.Id -Force
  Get-CimInstance Win32_Process -Filter "ParentProcessId = $($apache.Id)" | ForEach-Object { Stop-Process -Id $_.ProcessId -Force -ErrorAction SilentlyContinue }
}

# 2. Events that do not exist, and the service manager.
Save-Output 'powershell-event-missing' 'powershell.exe' @('-NoProfile', '-NonInteractive', '-File', $eventFile, 'ap4294967_restart')
Save-Output 'sc-queryex-services' 'sc.exe' @('queryex', 'type=', 'service')
Save-Output 'sc-qc-apache' 'sc.exe' @('qc', $Service)
Save-Output 'sc-qc-no-service' 'sc.exe' @('qc', 'wsgictl-no-such-service')
Save-Output 'net-no-service' 'net.exe' @('stop', 'wsgictl-no-such-service')
Save-Output 'httpd-restart-no-service' $Httpd @('-k', 'restart', '-n', 'wsgictl-no-such-service')
Save-Output 'httpd-restart-ok' $Httpd @('-k', 'restart', '-n', $Service)
Save-Output 'net-stop-ok' 'net.exe' @('stop', $Service)
Save-Output 'net-not-started' 'net.exe' @('stop', $Service)
Save-Output 'net-start-ok' 'net.exe' @('start', $Service)
$servicePid = (Get-CimInstance Win32_Service -Filter "Name = '$Service'").ProcessId
Save-Processes 'win32-process-parent-service' "ProcessId = $servicePid"
Save-Output 'event-service-global-elevated' 'powershell.exe' @('-NoProfile', '-NonInteractive', '-File', $eventFile, "Global\ap$($servicePid)_restart")

# 3. The same from a non-elevated token (runas /trustlevel:0x20000 drops the administrator rights).
$denied = Join-Path $Out 'denied'
New-Item -ItemType Directory -Force -Path $denied | Out-Null
$inner = "net.exe stop $Service > `"$denied\net-denied.stdout.bin`" 2> `"$denied\net-denied.stderr.bin`" & " +
  "powershell.exe -NoProfile -NonInteractive -File `"$eventFile`" Global\ap$($servicePid)_restart 2> `"$denied\powershell-event-denied.stderr.bin`" & " +
  "`"$Httpd`" -k restart -n $Service 2> `"$denied\httpd-restart-denied.stderr.bin`""
runas.exe /trustlevel:0x20000 "cmd.exe /d /c $inner"
Start-Sleep -Seconds 15

Remove-Item -Recurse -Force $root
Write-Host "Recorded into $Out. Compare with the hand-made fixtures, update them and SOURCES.md (say: recorded on <Windows version>, <language>, <date>)."

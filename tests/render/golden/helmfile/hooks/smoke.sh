#!/bin/sh
echo smoke
